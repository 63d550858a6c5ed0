#!/usr/bin/env bash
# The credential relay's cost (issue 15), each figure against the same request straight to the same git server in
# the same run, both over TLS (HTTP/1.1):
#   1. git clone of a SIZE_MB repository of random bytes (the pack cannot be smaller), through the relay
#      (`authrelay setup-git --relay` in a throwaway git home) and direct (git holds the forge's token in its own
#      `store` helper), rounds interleaved (order alternating); each clone's wall time and the time git waited for
#      credential helpers (trace2), the medians, and the relay's throughput without the helpers' time as a ratio of
#      direct (target >= 0.8x);
#   2. the latency a relayed small request adds at a fixed RATE (open loop, bench/relay/OpenLoad.java): a git
#      info/refs GET the git server answers from memory, so the difference is the relay's; p50 and p99 relayed,
#      direct, added (targets p50 <= 2 ms, p99 <= 10 ms added);
#   3. CLONES clones at once, through the relay then direct, each relayed clone with its own workspace (the relay
#      allows 16 requests in flight per workspace): total throughput, and the daemon's VmRSS before, at its peak
#      (VmHWM after clear_refs, and 0.1 s samples) and after 5 s idle.
# The git server is the tests' kind of forge: git http-backend (CGI, through fcgiwrap) behind nginx with TLS and
# Basic auth that accepts only the broker's token. The daemon is bin/authrelay server with --tls-cert/--tls-key on a
# fresh home. `uptime` is printed at start and end. Markdown on stdout, progress on stderr.
#
#   bench/relay.sh > /tmp/relay.md                                                   # dev run, ~2 min
#   ROUNDS=5 SIZE_MB=50 RATE=200 DURATION=30 WARMUP=5 CLONES=20 bench/relay.sh > /tmp/relay.md  # of record, ~10 min
#
# Knobs (environment): ROUNDS (3), WARMUP_CLONES (3), SIZE_MB (10), RATE (requests/s, 200), DURATION (s kept per latency phase, 5),
# WARMUP (s dropped at the start of each latency phase, 2), CLONES (4), CLONE_OPTS (--bare: transfer and
# index-pack, no work tree written), DAEMON_JAVA_OPTS (more JVM options for the daemon), JFR=1 (JFR recordings of
# the daemon during parts 1 and 2, kept in the work dir, as is the work dir itself), FCGI_BUFFER (nginx's
# fastcgi_buffer_size, e.g. 16k: unbuffered, nginx sends each read of it as one TLS record and one HTTP chunk; unset:
# nginx's default, one page, 4 KiB).
# Needs: git, nginx, fcgiwrap, openssl, curl, ss (apt-get install -y nginx fcgiwrap), bash 5, a JDK >= 22 (the
# load generator runs as `java OpenLoad.java`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/lib.sh

ROUNDS=${ROUNDS:-3}
SIZE_MB=${SIZE_MB:-10}
RATE=${RATE:-200}
WARMUP_CLONES=${WARMUP_CLONES:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
CLONES=${CLONES:-4}
CLONE_OPTS=${CLONE_OPTS:---bare}
FCGI_BUFFER=${FCGI_BUFFER:-}
require_tools git openssl curl ss awk
for tool in nginx fcgiwrap; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (Debian: apt-get install -y $tool)"
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
fcgiwrap_bin=$(command -v fcgiwrap || echo /usr/sbin/fcgiwrap)
http_backend="$(git --exec-path)/git-http-backend"
[ -x "$http_backend" ] || die "git http-backend not found at $http_backend"

uptime_start=$(uptime)
echo "uptime at start: $uptime_start" >&2

# ---------------------------------------------------------------- TLS: a private CA and a leaf for 127.0.0.1
certs="$work/certs"; mkdir -p "$certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=authrelay bench CA" \
    -keyout "$certs/ca.key" -out "$certs/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$certs/leaf.key" -out "$certs/leaf.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$certs/leaf.ext"
openssl x509 -req -in "$certs/leaf.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial -days 2 \
    -extfile "$certs/leaf.ext" -out "$certs/leaf.pem" 2>/dev/null
cat "$certs/leaf.pem" "$certs/ca.pem" >"$certs/chain.pem"
ca="$certs/ca.pem"

# ---------------------------------------------------------------- the repository: SIZE_MB of random bytes, packed
repos="$work/repos"; src="$work/src"
bench_git() { env -i PATH="$PATH" HOME="$work" GIT_CONFIG_NOSYSTEM=1 git -c user.name=bench -c user.email=bench@example.test "$@"; }
bench_git init -q --bare -b main "$repos/repo.git"
bench_git init -q -b main "$src"
head -c $((SIZE_MB * 1048576)) /dev/urandom >"$src/big.bin"
bench_git -C "$src" add big.bin
bench_git -C "$src" commit -q -m "random bytes"
bench_git -C "$src" push -q "$repos/repo.git" main
bench_git -C "$repos/repo.git" repack -a -d -q   # as a forge keeps it: one pack that upload-pack reuses
rm -rf "$src"
head_commit=$(bench_git -C "$repos/repo.git" rev-parse HEAD)
pack_bytes=$(cat "$repos/repo.git"/objects/pack/*.pack | wc -c)
log "repository: $(mib $((pack_bytes / 1024))) MiB pack"

# ---------------------------------------------------------------- the forge: nginx + fcgiwrap + git http-backend
forge_secret="forge-bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
forge_basic="Basic $(printf 'x-access-token:%s' "$forge_secret" | base64 -w0)"
ngx="$work/nginx"; mkdir -p "$ngx"
fcgi_sock="$work/fcgi.sock"
"$fcgiwrap_bin" -c $((CLONES + 4)) -s "unix:$fcgi_sock" </dev/null >"$work/fcgiwrap.log" 2>&1 &
fcgi_pid=$!
pids+=("$fcgi_pid")
for _ in $(seq 1 100); do [ -S "$fcgi_sock" ] && break; sleep 0.05; done
[ -S "$fcgi_sock" ] || die "fcgiwrap did not open $fcgi_sock"
sleep 0.2
# shellcheck disable=SC2207 # pids; fcgiwrap's prefork children outlive a stopped parent
pids+=($(pgrep -P "$fcgi_pid" || true))
forge_port=$(free_port)
forge_host="127.0.0.1:$forge_port"
# As root, nginx's workers would run as nobody: keep them as this user, who owns the socket, repository and certs.
user_line=""; [ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
{ nginx_config_head "$ngx"; cat <<EOF
    client_max_body_size 0;
    # Only the broker's token, as the tests' forge: anything else gets a Basic challenge.
    map_hash_bucket_size 256;   # the key is a whole Authorization header
    map \$http_authorization \$forge_refused { "$forge_basic" 0; default 1; }
    server {
        listen $forge_host ssl;
        ssl_certificate $certs/chain.pem;
        ssl_certificate_key $certs/leaf.key;
        # the latency probe: a smart-HTTP path answered from memory, so relayed minus direct is the relay's time
        location = /ping.git/info/refs {
            if (\$forge_refused) { add_header WWW-Authenticate 'Basic realm="bench-forge"' always; return 401; }
            default_type application/x-git-upload-pack-advertisement;
            return 200 "0000";
        }
        location / {
            if (\$forge_refused) { add_header WWW-Authenticate 'Basic realm="bench-forge"' always; return 401; }
            fastcgi_pass unix:$fcgi_sock;
            fastcgi_buffering off;           # a pack streams through, as from a forge
            ${FCGI_BUFFER:+fastcgi_buffer_size $FCGI_BUFFER; fastcgi_buffers 8 $FCGI_BUFFER;   # nginx reads, and sends as one TLS record and chunk, this much at a time}
            fastcgi_request_buffering off;
            fastcgi_param SCRIPT_FILENAME $http_backend;
            fastcgi_param GIT_PROJECT_ROOT $repos;
            fastcgi_param GIT_HTTP_EXPORT_ALL 1;
            fastcgi_param PATH_INFO \$uri;
            fastcgi_param QUERY_STRING \$query_string;
            fastcgi_param REQUEST_METHOD \$request_method;
            fastcgi_param CONTENT_TYPE \$content_type;
            fastcgi_param CONTENT_LENGTH \$content_length;
            fastcgi_param GIT_PROTOCOL \$http_git_protocol;
            fastcgi_param REMOTE_USER x-access-token;
            fastcgi_param REMOTE_ADDR \$remote_addr;
            fastcgi_param SERVER_PROTOCOL \$server_protocol;
        }
    }
}
$user_line
EOF
} >"$ngx/nginx.conf"
"$nginx_bin" -e "$ngx/logs/error.log" -p "$ngx" -c "$ngx/nginx.conf" -g 'daemon off;' </dev/null &
nginx_pid=$!
pids+=("$nginx_pid")
forge_url="https://$forge_host"
for _ in $(seq 1 100); do curl -s -o /dev/null --cacert "$ca" "$forge_url/" && break; sleep 0.05; done
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" "$forge_url/repo.git/info/refs?service=git-upload-pack")" = 401 ] \
    || { cat "$ngx/logs/error.log" >&2; die "the forge does not refuse an anonymous request"; }
printf '%s' "$forge_basic" >"$work/direct.auth"
curl -sf --cacert "$ca" -H @<(printf 'Authorization: %s\n' "$forge_basic") -o /dev/null \
    "$forge_url/repo.git/info/refs?service=git-upload-pack" || { cat "$ngx/logs/error.log" >&2; die "the forge refuses its token"; }
log "forge: nginx pid $nginx_pid on $forge_url, git http-backend through fcgiwrap ($((CLONES + 4)) children)"

# ---------------------------------------------------------------- the daemon, over TLS, trusting the forge's CA
export AUTHRELAY_PROVIDER_CA_FILE="$ca"
# the latency phase sends RATE requests/s from one workspace: its rate limit (100/s by default) is raised above that,
# so the figure is the relay's own time, not its 429s
DAEMON_CA_FILE="$ca" DAEMON_SERVER_ARGS="--tls-cert $certs/chain.pem --tls-key $certs/leaf.key --relay-rate $((RATE * 2))/s --relay-burst $((RATE * 2))" \
    launch_daemon relay ${DAEMON_JAVA_OPTS:-}
api=(curl -sf -m 10 --cacert "$ca" -H @"$work/admin-relay.header" -H 'Content-Type: application/json')
"${api[@]}" -o /dev/null -d "{\"name\":\"forge\",\"type\":\"static\",\"host\":\"$forge_host\",\"username\":\"x-access-token\"}" \
    "$daemon_url/v1/providers" || die "cannot add the provider"
"${api[@]}" -o /dev/null -X PUT -d "{\"secret\":\"$forge_secret\"}" "$daemon_url/v1/credentials/forge" || die "cannot set the secret"
workspace() {
    "${api[@]}" -d "{\"name\":\"$1\",\"grants\":[\"forge\"]}" "$daemon_url/v1/workspaces" | sed -n 's/.*"token":"\(arw_[^"]*\)".*/\1/p'
}
declare -A tokens
for i in $(seq 1 "$CLONES") latency; do
    tokens[$i]=$(workspace "bench-$i")
    [ -n "${tokens[$i]}" ] || die "cannot create workspace bench-$i"
done
printf 'Basic %s' "$(printf 'authrelay:%s' "${tokens[latency]}" | base64 -w0)" >"$work/relay.auth"
log "daemon: pid $daemon_pid on $daemon_url, $((CLONES + 1)) workspaces"

# ---------------------------------------------------------------- two git homes, set up by the real CLI
git_env() { # KIND TOKEN: the clean environment a workspace's git runs with
    echo PATH="$PATH" HOME="$work/git-$1" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/false \
        AUTHRELAY_URL="$daemon_url" AUTHRELAY_TOKEN="$2" AUTHRELAY_CA_FILE="$ca" AUTHRELAY_ROOT="$root" JAVA_HOME="$JAVA_HOME"
}
mkdir -p "$work/git-relay" "$work/git-direct"
# shellcheck disable=SC2046 # git_env's words are NAME=VALUE pairs without spaces
env -i $(git_env relay "${tokens[1]}") "$root/bin/authrelay" setup-git --relay --host "$forge_host" >&2 \
    || die "authrelay setup-git --relay failed"
# direct: git already holds the forge's token (git's own store helper, a file in the throwaway home), so the
# baseline is the transfer alone; the Java helper's vend over TLS costs seconds on a loaded machine (see the report)
printf 'https://x-access-token:%s@%s\n' "$forge_secret" "$forge_host" >"$work/git-direct/credentials"
chmod 600 "$work/git-direct/credentials"
env -i HOME="$work/git-direct" git config --global credential.helper "store --file $work/git-direct/credentials"
env -i HOME="$work/git-direct" git config --global http.sslCAInfo "$ca"   # the relay's home trusts it for the broker
for kind in relay direct; do env -i HOME="$work/git-$kind" git config --global protocol.version 2; done

clones="$work/clones"; mkdir -p "$clones"
# clone KIND TOKEN DEST: one clone of the forge's repository (git's trace2 events in DEST.trace); checks it is whole
clone() {
    # shellcheck disable=SC2046,SC2086
    env -i $(git_env "$1" "$2") GIT_TRACE2_EVENT="$3.trace" git clone -q $CLONE_OPTS "$forge_url/repo.git" "$3" 2>>"$work/git-$1.log" \
        || { tail -n 5 "$work/git-$1.log" >&2; return 1; }
    [ "$(git --git-dir="$(git -C "$3" rev-parse --absolute-git-dir)" rev-parse HEAD)" = "$head_commit" ]
}
# helper_ms TRACE: the milliseconds git spent waiting for credential helpers (get and store), from trace2 events
helper_ms() {
    awk '
        function key() { match($0, /"sid":"[^"]*"/); k = substr($0, RSTART, RLENGTH); match($0, /"child_id":[0-9]+/); return k substr($0, RSTART, RLENGTH) }
        /"event":"child_start"/ && /"argv":\[[^]]*credential/ { helper[key()] = 1 }
        /"event":"child_exit"/ { if (key() in helper) { match($0, /"t_rel":[0-9.]+/); t += substr($0, RSTART + 8, RLENGTH - 8) } }
        END { printf "%d", t * 1000 }' "$1"
}
timed_clone() { # KIND: "wall_ms helper_ms" of one clone
    local t0 ms dest="$clones/$1-$RANDOM$RANDOM"
    t0=$(now_ms)
    clone "$1" "${tokens[1]}" "$dest" || die "$1 clone failed (log: $work/git-$1.log)"
    ms=$(($(now_ms) - t0))
    echo "$ms $(helper_ms "$dest.trace")"
    rm -rf "$dest" "$dest.trace"
}
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) {print 0; exit} m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.1f", m}'; }
mbps() { awk -v b="$pack_bytes" -v ms="$1" -v n="${2:-1}" 'BEGIN {printf "%.1f", (ms > 0) ? n * b / 1048576 / (ms / 1000) : 0}'; }

# ---------------------------------------------------------------- 1. one clone at a time, interleaved
# A daemon runs for hours: the figure of record is its steady state. Until C2 has compiled them, AES-GCM and Jetty's
# buffers run interpreted or in C1 (a fresh daemon's first relayed clones were 1.3-1.6x slower), so WARMUP_CLONES
# pairs go first, their times reported apart.
log "1. clones: $WARMUP_CLONES warm-up pairs (helper caches, the daemon's JIT, the page cache)"
for i in $(seq 1 "$WARMUP_CLONES"); do
    read -r ms helper < <(timed_clone relay)
    read -r dms dhelper < <(timed_clone direct)
    log "warm-up $i/$WARMUP_CLONES: relay clone $ms ms (helper $helper ms), direct $dms ms (helper $dhelper ms)"
    echo "$i $ms $helper $dms $dhelper" >>"$work/warmup-times"
done
# jfr start|stop NAME: with JFR=1, a JFR recording (settings=profile) of the daemon, kept in the work dir
jfr() {
    [ "${JFR:-0}" = 1 ] || return 0
    if [ "$1" = start ]; then "$JAVA_HOME/bin/jcmd" "$daemon_pid" JFR.start name="$2" settings=profile filename="$work/$2.jfr" >/dev/null
    else "$JAVA_HOME/bin/jcmd" "$daemon_pid" JFR.stop name="$2" >/dev/null; log "JFR recording: $work/$2.jfr"; fi
}
[ "${JFR:-0}" = 1 ] && export KEEP_WORK=1
jfr start clones
cpu_relay_0=$(cpu_seconds "$daemon_pid")
: >"$work/clone-times"
for round in $(seq 1 "$ROUNDS"); do
    order=(relay direct); [ $((round % 2)) = 0 ] && order=(direct relay)
    for kind in "${order[@]}"; do
        read -r ms helper < <(timed_clone "$kind")
        echo "$kind $ms $helper $((ms - helper))" >>"$work/clone-times"
        log "round $round/$ROUNDS: $kind clone $ms ms, of which credential helper $helper ms ($(mbps $((ms - helper))) MiB/s without it)"
    done
done
cpu_relay_1=$(cpu_seconds "$daemon_pid")
jfr stop clones
clone_col() { awk -v k="$1" -v c="$2" '$1 == k {print $c}' "$work/clone-times" | median; }
relay_ms=$(clone_col relay 4); direct_ms=$(clone_col direct 4)
relay_wall=$(clone_col relay 2); direct_wall=$(clone_col direct 2)
relay_helper=$(clone_col relay 3); direct_helper=$(clone_col direct 3)
ratio() { awk -v r="$1" -v d="$2" 'BEGIN {printf "%.2f", (r > 0) ? d / r : 0}'; }
clone_ratio=$(ratio "$relay_ms" "$direct_ms")
wall_ratio=$(ratio "$relay_wall" "$direct_wall")
# the daemon's CPU per MiB it relayed (the warm-up excluded; the daemon does nothing for the direct clones)
cpu_per_mib=$(awk -v a="$cpu_relay_0" -v b="$cpu_relay_1" -v n="$ROUNDS" -v p="$pack_bytes" \
    'BEGIN {printf "%.1f", (b - a) * 1000 / (n * p / 1048576)}')

# ---------------------------------------------------------------- 2. added latency at a fixed rate
log "2. latency: $RATE requests/s open loop, $ROUNDS rounds of ${DURATION}s (+${WARMUP}s dropped) per path"
probe="/ping.git/info/refs?service=git-upload-pack"
jfr start latency
cpu_lat_0=$(cpu_seconds "$daemon_pid")
"$java" -XX:+UseSerialGC bench/relay/OpenLoad.java "$RATE" "$DURATION" "$WARMUP" "$ROUNDS" "$ca" \
    "relay=$daemon_url/relay/git/$forge_host$probe@$work/relay.auth" \
    "direct=$forge_url$probe@$work/direct.auth" >"$work/latency" 2> >(tee "$work/latency-rounds" >&2) \
    || die "the load generator failed"
cpu_lat_1=$(cpu_seconds "$daemon_pid")
jfr stop latency
# every relayed request of the phases: warm-up ones (3 x RATE one at a time, 4 at once) and timed ones
relayed=$((ROUNDS * (3 * RATE + 4 + RATE * (DURATION + WARMUP))))
cpu_per_request=$(awk -v a="$cpu_lat_0" -v b="$cpu_lat_1" -v n="$relayed" 'BEGIN {printf "%.2f", (b - a) * 1000 / n}')
lat() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$work/latency"; }
added() { awk -v r="$(lat relay "$1")" -v d="$(lat direct "$1")" 'BEGIN {printf "%.2f", r - d}'; }

# ---------------------------------------------------------------- 3. CLONES clones at once
# concurrent KIND: runs CLONES clones at once; appends "KIND ms failures" to concurrent-results
concurrent() {
    local kind=$1 t0 i failed=0 jobs=()
    t0=$(now_ms)
    for i in $(seq 1 "$CLONES"); do
        clone "$kind" "${tokens[$i]}" "$clones/$kind-c$i" &
        jobs+=("$!")
    done
    for i in "${jobs[@]}"; do wait "$i" || failed=$((failed + 1)); done
    echo "$kind $(($(now_ms) - t0)) $failed" >>"$work/concurrent-results"
    rm -rf "$clones/$kind"-c*
}
log "3. $CLONES clones at once, through the relay then direct"
: >"$work/concurrent-results"
rss_before=$(rss_kb "$daemon_pid")
echo 5 >"/proc/$daemon_pid/clear_refs" 2>/dev/null || true   # resets VmHWM to the current RSS, where allowed
( while kill -0 "$daemon_pid" 2>/dev/null; do rss_kb "$daemon_pid"; sleep 0.1; done ) >"$work/rss-samples" &
sampler=$!
pids+=("$sampler")
threads_before=$(awk '/^Threads:/ {print $2}' "/proc/$daemon_pid/status")
concurrent relay
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$daemon_pid/status")
sampled_peak=$(sort -n "$work/rss-samples" | tail -n 1)
rss_peak=$((hwm > sampled_peak ? hwm : sampled_peak))
sleep 5
rss_after=$(rss_kb "$daemon_pid")
threads_after=$(awk '/^Threads:/ {print $2}' "/proc/$daemon_pid/status")
concurrent direct
read -r _ conc_relay_ms conc_relay_failed < <(awk '$1 == "relay"' "$work/concurrent-results")
read -r _ conc_direct_ms conc_direct_failed < <(awk '$1 == "direct"' "$work/concurrent-results")
conc_ratio=$(ratio "$conc_relay_ms" "$conc_direct_ms")
uptime_end=$(uptime)
echo "uptime at end: $uptime_end" >&2

# ---------------------------------------------------------------- report
# verdict VALUE TARGET >=|<= [ERRORS]: a target counts as missed when any request failed
verdict() {
    awk -v v="$1" -v t="$2" -v dir="$3" -v e="${4:-0}" \
        'BEGIN {if (e > 0) print "missed (" e " failed)"; else print ((dir == ">=" ? v >= t : v <= t) ? "met" : "missed")}'
}
relay_errors=$(lat relay 3)
cat <<EOF
## Run (bench/relay.sh)

$(machine_lines)
- uptime at start: \`$uptime_start\`
- uptime at end: \`$uptime_end\`
- knobs: ROUNDS=$ROUNDS WARMUP_CLONES=$WARMUP_CLONES SIZE_MB=$SIZE_MB RATE=$RATE DURATION=$DURATION WARMUP=$WARMUP CLONES=$CLONES CLONE_OPTS="$CLONE_OPTS" FCGI_BUFFER="$FCGI_BUFFER" DAEMON_JAVA_OPTS="${DAEMON_JAVA_OPTS:-}"
- forge: nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') (TLS, HTTP/1.1, Basic auth: the broker's token only) + fcgiwrap + $(git --version | sed 's/git version /git /') http-backend; pack $(mib $((pack_bytes / 1024))) MiB of random bytes
- relay: bin/authrelay server --tls-cert (same CA); the relayed git home set up by \`authrelay setup-git --relay\` (git runs the Java helper, \`--relay\`, after the first 401, and again to store); the direct git home holds the forge's token in git's \`store\` helper; both paths over TLS, HTTP/1.1; the credential helpers' time comes from git's trace2 events

## Targets (issue 15)

| measure | baseline (direct) | relay | relay vs direct | target | |
| --- | ---: | ---: | ---: | --- | --- |
| git clone $CLONE_OPTS without the credential helper's time, median of $ROUNDS (MiB/s) | $(mbps "$direct_ms") ($direct_ms ms) | $(mbps "$relay_ms") ($relay_ms ms) | ${clone_ratio}x | >= 0.8x | $(verdict "$clone_ratio" 0.8 ">=") |
| the same, wall time with the helper (MiB/s) | $(mbps "$direct_wall") ($direct_wall ms, helper $direct_helper ms) | $(mbps "$relay_wall") ($relay_wall ms, helper $relay_helper ms) | ${wall_ratio}x | | |
| small request p50 at $RATE/s (ms) | $(lat direct 4) | $(lat relay 4) | +$(added 4) | <= +2 ms | $(verdict "$(added 4)" 2 "<=" "$relay_errors") |
| small request p99 at $RATE/s (ms) | $(lat direct 6) | $(lat relay 6) | +$(added 6) | <= +10 ms | $(verdict "$(added 6)" 10 "<=" "$relay_errors") |
| $CLONES clones at once, total (MiB/s) | $(mbps "$conc_direct_ms" "$CLONES") ($conc_direct_ms ms, $conc_direct_failed failed) | $(mbps "$conc_relay_ms" "$CLONES") ($conc_relay_ms ms, $conc_relay_failed failed) | ${conc_ratio}x | (reported) | |
| daemon VmRSS during $CLONES relayed clones (MiB) | before $(mib "$rss_before") | peak $(mib "$rss_peak"), after 5 s $(mib "$rss_after") | | (reported) | |

## Details

- clones (wall ms / of which credential helper, in run order): $(awk '{printf "%s%s %s/%s", (NR > 1) ? ", " : "", $1, $2, $3}' "$work/clone-times")
- warm-up clones, not counted (wall ms / of which credential helper, relay then direct): $(awk '{printf "%s%s/%s then %s/%s", (NR > 1) ? ", " : "", $2, $3, $4, $5}' "$work/warmup-times")
- the daemon's CPU (user + system) per relayed MiB, one clone at a time: $cpu_per_mib ms; per relayed small request (latency part): $cpu_per_request ms
- latency (ms; requests kept, errors, p50, p90, p99, max, achieved/s):
$(awk '{printf "  - %s: %s requests, %s errors, p50 %s, p90 %s, p99 %s, max %s, %s/s\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$work/latency")
- latency per phase (in run order):
$(sed -n 's/^openload: \(round .*\)/\1/p' "$work/latency-rounds" | tr -s ' ' | sed 's/^/  - /')
- the daemon's threads: $threads_before before the $CLONES clones, $threads_after after; RSS peak from VmHWM $(mib "$hwm") MiB, from 0.1 s samples $(mib "$sampled_peak") MiB
EOF
