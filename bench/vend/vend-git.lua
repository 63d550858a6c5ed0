-- wrk script: POST /v1/vend as the sh helper sends it (git's key=value lines, answer in git format).
wrk.method = "POST"
wrk.body = "protocol=https\nhost=github.com\npath=org/repo.git\n"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["Accept"] = "text/plain"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("AUTHRELAY_TOKEN")
