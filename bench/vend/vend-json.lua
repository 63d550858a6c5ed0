-- wrk script: POST /v1/vend as the Java helper sends it (JSON). Token from the environment (AUTHRELAY_TOKEN).
wrk.method = "POST"
wrk.body = '{"protocol":"https","host":"github.com","path":"org/repo.git"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("AUTHRELAY_TOKEN")
