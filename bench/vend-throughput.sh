#!/usr/bin/env bash
# Vending throughput: wrk against POST /v1/vend on loopback (requests/s, latency p50/p99), with a
# same-run baseline: nginx (Debian) serving a small static file from a private config and prefix.
# Rounds are interleaved (nginx, then each daemon variant) so that load from elsewhere hits every row
# alike. Also reports the CPU each server used per request, which moves much less with machine load.
# Markdown on stdout, progress on stderr.
#
#   bench/vend-throughput.sh > /tmp/vend.md
#   ROUNDS=1 DURATION=10 bench/vend-throughput.sh          # quick look
#   VARIANTS="launcher|" bench/vend-throughput.sh           # only the daemon as bin/authrelay starts it
#
# Knobs (environment): THREADS (wrk -t, 2), CONNECTIONS (wrk -c, 32), DURATION (s per wrk run, 20),
# WARMUP (s of wrk per daemon before measuring, JIT warm-up, 15), ROUNDS (3), FORMATS ("json git"),
# VARIANTS: ';'-separated NAME|EXTRA_JVM_OPTIONS[|CHECKOUT] daemons, each started once with
# AUTHRELAY_JAVA_OPTS=EXTRA_JVM_OPTIONS (default "launcher|;c2|-XX:TieredStopAtLevel=4": the launcher's
# flags as they are, and the same with the C2 JIT, which the launcher's -XX:TieredStopAtLevel=1 turns off).
# CHECKOUT runs bin/authrelay of another built checkout, to compare a change in the same run, e.g.
#   VARIANTS="launcher|;c2|-XX:TieredStopAtLevel=4;changed|-XX:TieredStopAtLevel=4|/tmp/other-clone"
# Needs: wrk, nginx (apt-get install -y wrk nginx), curl, ss, bash 5, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
READY_TIMEOUT=${READY_TIMEOUT:-90}
BENCH_WORK_MODE=755   # nginx workers (user nobody) read the baseline's static file below the work dir
. bench/lib.sh

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
ROUNDS=${ROUNDS:-3}
FORMATS=${FORMATS:-json git}
VARIANTS=${VARIANTS:-launcher|;c2|-XX:TieredStopAtLevel=4}

for tool in wrk nginx curl ss awk; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (Debian: apt-get install -y $tool)"
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# ---------------------------------------------------------------- nginx baseline
ngx="$work/nginx"
mkdir -p "$ngx/html" "$ngx/logs" "$ngx/tmp"
chmod -R 755 "$ngx"
# About the size of a vend answer.
printf '{"provider":"gh","username":"x-access-token","password":"%s","password_expiry_utc":1795387007}\n' "$bench_secret" >"$ngx/html/vend.json"
nginx_port=$(free_port)
{ nginx_config_head "$ngx"; cat <<EOF
    server {
        listen 127.0.0.1:$nginx_port;
        root $ngx/html;
        default_type application/json;
    }
}
EOF
} >"$ngx/nginx.conf"
"$nginx_bin" -e "$ngx/logs/error.log" -p "$ngx" -c "$ngx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=("$nginx_pid")
nginx_url="http://127.0.0.1:$nginx_port/vend.json"
for _ in $(seq 1 100); do curl -sf -o /dev/null "$nginx_url" && break; sleep 0.05; done
curl -sf "$nginx_url" | grep -q "$bench_secret" || { cat "$ngx/logs/error.log" >&2; die "nginx does not serve the baseline file"; }
nginx_pids() { echo "$nginx_pid" $(pgrep -P "$nginx_pid" || true); }
log "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*: //') pid $nginx_pid on $nginx_url"

# ---------------------------------------------------------------- daemons
names=(); declare -A opts roots urls tokens dpids
IFS=';' read -r -a specs <<<"$VARIANTS"
for spec in "${specs[@]}"; do
    IFS='|' read -r name extra checkout <<<"$spec"
    # shellcheck disable=SC2086
    DAEMON_ROOT=$checkout start_daemon "$name" $extra
    names+=("$name"); opts[$name]=$extra; roots[$name]=${checkout:-$root}; urls[$name]=$daemon_url; tokens[$name]=$ws_token; dpids[$name]=$daemon_pid
    # The git format must answer too, with the same secret.
    printf 'protocol=https\nhost=github.com\npath=org/repo.git\n' | curl -sf -m 10 -H "Authorization: Bearer $ws_token" \
        -H 'Content-Type: text/plain' -H 'Accept: text/plain' --data-binary @- "$daemon_url/v1/vend" | grep -qx "password=$bench_secret" \
        || die "git-format vend did not return the secret"
done

# run_wrk LABEL URL [wrk args...]: one wrk run; appends "label rps p50ms p99ms requests errors cpu_s" to $work/results.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000} printf "%.2f", v}'; }
run_wrk() {
    local label=$1 url=$2 token=$3 cpu_pids=$4; shift 4
    local out="$work/wrk-${label//\//-}-$((++wrk_runs)).txt" c0 c1
    c0=$(cpu_seconds $cpu_pids)
    AUTHRELAY_TOKEN=$token wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
    c1=$(cpu_seconds $cpu_pids)
    local rps p50 p99 reqs errs
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out" | to_ms)
    p99=$(awk '$1 == "99%" {print $2}' "$out" | to_ms)
    reqs=$(awk '/requests in/ {print $1}' "$out")
    errs=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
    echo "$label $rps $p50 $p99 $reqs $errs $(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}')" >>"$work/results"
    log "  $label: $rps req/s, p50 $p50 ms, p99 $p99 ms, $reqs requests, $errs errors/non-2xx"
}
wrk_runs=0; : >"$work/results"

for name in "${names[@]}"; do
    log "warm-up: $name, ${WARMUP}s of wrk (JIT)"
    AUTHRELAY_TOKEN=${tokens[$name]} wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/vend/vend-json.lua "${urls[$name]}/v1/vend" >/dev/null
    if [[ " $FORMATS " == *" git "* ]]; then
        AUTHRELAY_TOKEN=${tokens[$name]} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( (WARMUP + 2) / 3 ))s" -s bench/vend/vend-git.lua "${urls[$name]}/v1/vend" >/dev/null
    fi
done
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$nginx_url" >/dev/null

for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency"
    run_wrk "nginx" "$nginx_url" "" "$(nginx_pids)"
    for name in "${names[@]}"; do
        for format in $FORMATS; do
            run_wrk "$name/$format" "${urls[$name]}/v1/vend" "${tokens[$name]}" "${dpids[$name]}" -s "bench/vend/vend-$format.lua"
        done
    done
done

# The daemons must still vend the right secret after the load.
for name in "${names[@]}"; do
    curl -sf -m 10 -H "Authorization: Bearer ${tokens[$name]}" -H 'Content-Type: application/json' \
        -d '{"protocol":"https","host":"github.com","path":"org/repo.git"}' "${urls[$name]}/v1/vend" | grep -q "$bench_secret" \
        || die "daemon $name no longer vends after the load"
done

# ---------------------------------------------------------------- summary
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) {print 0; exit} m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f", m}'; }
col() { awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$work/results"; }
labels=(nginx)
for name in "${names[@]}"; do for format in $FORMATS; do labels+=("$name/$format"); done; done
nginx_rps=$(col nginx 2 | median)
nginx_p99=$(col nginx 4 | median)
nginx_cpu_us=$(awk '$1 == "nginx" {r += $5; c += $7} END {printf "%.1f", r ? c / r * 1e6 : 0}' "$work/results")

cat <<EOF
## Run

$(machine_lines)
- wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}'): \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\`, $ROUNDS interleaved rounds, ${WARMUP}s JIT warm-up per daemon; wrk and the servers share the $(nproc) CPUs
- baseline: nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'), \`worker_processes auto\`, access log off, GET of a $(wc -c <"$ngx/html/vend.json")-byte static file
- daemons (bin/authrelay server, fresh home, one static provider, one workspace):
$(for name in "${names[@]}"; do echo "  - \`$name\`: AUTHRELAY_JAVA_OPTS=\"${opts[$name]}\", from $( [ "${roots[$name]}" = "$root" ] && echo "this checkout" || echo "${roots[$name]} (commit $(git -C "${roots[$name]}" rev-parse --short HEAD 2>/dev/null), $(git -C "${roots[$name]}" status --porcelain -- '*.java' bin 2>/dev/null | wc -l) changed files)")"; done)
- requests: \`json\` = POST /v1/vend with a JSON body (the Java helper's call), \`git\` = the same with git's key=value body and answer (the sh helper's call)

## Requests/s and latency (median of $ROUNDS rounds)

| server / request | req/s | vs nginx | p50 ms | p99 ms | CPU µs/request (server) | vs nginx | errors or non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(for l in "${labels[@]}"; do
    rps=$(col "$l" 2 | median); p50=$(col "$l" 3 | median); p99=$(col "$l" 4 | median)
    cpu=$(awk -v l="$l" '$1 == l {r += $5; c += $7} END {printf "%.1f", r ? c / r * 1e6 : 0}' "$work/results")
    errs=$(awk -v l="$l" '$1 == l {n += $6} END {print n + 0}' "$work/results")
    echo "| $l | $rps | $(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.3f", a / b}') | $p50 | $p99 | $cpu | $(awk -v a="$cpu" -v b="$nginx_cpu_us" 'BEGIN {printf "%.1fx", (b > 0 ? a / b : 0)}') | $errs |"
done)

Every round (label, req/s, p50 ms, p99 ms, requests, errors, server CPU s):

\`\`\`
$(cat "$work/results")
\`\`\`

Target: >= 20,000 req/s at p99 <= 10 ms for /v1/vend. "vs nginx" of CPU µs/request is how many times more CPU a
vend costs the daemon than nginx spends on a static GET; unlike req/s it hardly depends on what else runs.
EOF
