# shellcheck shell=bash
# Shared by the bench/*.sh benchmarks (sourced, bash 5): logging, the JDK found like bin/authrelay finds it, dist/
# built when missing, a private work dir, a cleanup trap that stops every process listed in `pids` (also on Ctrl-C),
# free loopback ports, /proc readings, the run's machine lines, and start_daemon, which starts and seeds a daemon.
# The caller sets `root` (the repo root) first. Before sourcing it may set READY_TIMEOUT (seconds a daemon may take
# to be ready, default 60) and BENCH_WORK_MODE (of the work dir, default 700). A failed run keeps the work dir (its
# logs), and so does any run with KEEP_WORK=1.

log() { echo "bench: $(date -u +%H:%M:%S) $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (Debian: apt-get install -y $tool)"
    done
}

. "$root/bin/lib/find-java.sh"
authrelay_find_java
export JAVA_HOME="$AUTHRELAY_JAVA_HOME"
java="$JAVA_HOME/bin/java"
java_feature=$(authrelay_java_feature "$java")
# The launcher's GC/JIT flags; a baseline JVM uses them too, to compare like with like.
jvm_flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)

if [ ! -f "$root/dist/lib/authrelay-cli.jar" ] || [ ! -f "$root/dist/lib/authrelay-client.jar" ]; then
    log "dist/lib missing: building (./mvnw -q -B -DskipTests package)"
    (cd "$root" && ./mvnw -q -B -DskipTests package) >&2
fi

READY_TIMEOUT=${READY_TIMEOUT:-60}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/authrelay-bench.XXXXXX")
chmod "${BENCH_WORK_MODE:-700}" "$work"
pids=()
# The secret a seeded daemon vends; every benchmark that vends checks that this exact value comes back.
bench_secret="ghp_bench$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

cleanup() {
    local rc=$? p alive=()
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && { kill -TERM "$p" 2>/dev/null || true; alive+=("$p"); }; done
    for _ in $(seq 1 100); do      # up to 10 s for all of them together
        local left=0
        for p in "${alive[@]}"; do kill -0 "$p" 2>/dev/null && left=1; done
        [ "$left" = 0 ] && break
        sleep 0.1
    done
    for p in "${alive[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ -z "${KEEP_WORK:-}" ] && { [ "$rc" = 0 ] || [ -z "$(ls -A "$work")" ]; }; then
        rm -rf "$work"
        return
    fi
    chmod 700 "$work"   # it holds admin tokens; whatever needed it open (nginx) has stopped
    log "work dir kept (exit $rc): $work"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }   # bash 5: microseconds, no fork
# A port below the ephemeral range (so no outgoing connection can hold it) that no socket uses. Bounded: 200 tries.
free_port() {
    local port used low
    low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 21000 ] || low=61000
    used=$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://')
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % (low - 20000)))
        grep -qx "$port" <<<"$used" || { echo "$port"; return 0; }
    done
    die "no free port found"
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# launch_daemon NAME [extra JVM options]: a daemon on a fresh home, ready (not seeded). Sets daemon_pid,
# daemon_url and daemon_home, and writes the admin token's header to $work/admin-NAME.header.
# DAEMON_ROOT (optional) runs bin/authrelay of another checkout (built) instead of this one; DAEMON_PROVIDERS_YAML
# (optional) is a providers.yaml put into the new home before the daemon starts; DAEMON_SERVER_ARGS (optional,
# split on spaces) are more `authrelay server` options.
launch_daemon() {
    local name=$1; shift
    daemon_home="$work/home-$name"; mkdir -m 700 "$daemon_home"
    [ -z "${DAEMON_PROVIDERS_YAML:-}" ] || install -m 600 "$DAEMON_PROVIDERS_YAML" "$daemon_home/providers.yaml"
    local port; port=$(free_port)
    # DAEMON_CA_FILE (optional): the daemon serves TLS (its --tls-cert/--tls-key in DAEMON_SERVER_ARGS) from this CA
    local scheme=http ca=()
    [ -z "${DAEMON_CA_FILE:-}" ] || { scheme=https; ca=(--cacert "$DAEMON_CA_FILE"); }
    daemon_url="$scheme://127.0.0.1:$port"
    # shellcheck disable=SC2086 # DAEMON_SERVER_ARGS: options split on spaces
    AUTHRELAY_JAVA_OPTS="$*" "${DAEMON_ROOT:-$root}/bin/authrelay" server --home "$daemon_home" --listen "127.0.0.1:$port" \
        ${DAEMON_SERVER_ARGS:-} >"$work/daemon-$name.log" 2>&1 </dev/null &
    daemon_pid=$!
    pids+=("$daemon_pid")
    local deadline=$((SECONDS + READY_TIMEOUT))
    until curl -sf "${ca[@]}" -o /dev/null -m 1 "$daemon_url/readyz"; do
        kill -0 "$daemon_pid" 2>/dev/null || { tail -n 20 "$work/daemon-$name.log" >&2; die "daemon $name exited before ready"; }
        [ "$SECONDS" -lt "$deadline" ] || die "daemon $name not ready within ${READY_TIMEOUT}s (log: $work/daemon-$name.log)"
        sleep 0.05
    done
    printf 'Authorization: Bearer %s\n' "$(cat "$daemon_home/admin.token")" >"$work/admin-$name.header"
}

# start_daemon NAME [extra JVM options]: launch_daemon, then seeded: one static provider with $bench_secret and a
# workspace granted it. Also sets ws_token (the workspace's arw_ token, also in $work/NAME.token).
start_daemon() {
    local name=$1
    launch_daemon "$@"
    shift
    local api=(curl -sf -m 10 -H @"$work/admin-$name.header" -H 'Content-Type: application/json')
    "${api[@]}" -o /dev/null -d '{"name":"gh","type":"static","host":"github.com","username":"x-access-token"}' "$daemon_url/v1/providers" \
        || die "cannot add the provider"
    "${api[@]}" -o /dev/null -X PUT -d "{\"secret\":\"$bench_secret\"}" "$daemon_url/v1/credentials/gh" || die "cannot set the secret"
    ws_token=$("${api[@]}" -d '{"name":"bench","grants":["gh"]}' "$daemon_url/v1/workspaces" | sed -n 's/.*"token":"\(arw_[^"]*\)".*/\1/p')
    [ -n "$ws_token" ] || die "cannot create the workspace"
    printf '%s' "$ws_token" >"$work/$name.token"
    # The vend itself must work before anything is timed.
    curl -sf -m 10 -H "Authorization: Bearer $ws_token" -H 'Content-Type: application/json' \
        -d '{"protocol":"https","host":"github.com","path":"org/repo.git"}' "$daemon_url/v1/vend" | grep -q "\"password\":\"$bench_secret\"" \
        || die "POST /v1/vend did not return the secret"
    log "daemon $name: pid $daemon_pid on $daemon_url (JVM options added: ${*:-none}; from ${DAEMON_ROOT:-$root})"
}

# nginx_config_head DIR: the start of an nginx.conf for the private prefix DIR (makes DIR/logs and DIR/tmp): no
# access log, temp files under DIR, long keep-alive. Its http block is left open: the caller adds its servers and "}".
nginx_config_head() {
    local dir=$1
    mkdir -p "$dir/logs" "$dir/tmp"
    cat <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000;
EOF
}

# CPU seconds (user + system) used so far by the processes given (clock ticks from /proc/PID/stat).
cpu_seconds() {
    local total=0 p t
    for p in "$@"; do
        t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'
}

machine_lines() {
    cat <<EOF
- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$(git -C "$root" status --porcelain -- '*.java' bin 2>/dev/null)" ] && echo ' (with uncommitted changes to Java sources or bin/)')
- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(free -h | awk '/^Mem:/ {print $2}') RAM, kernel $(uname -r)
- JDK: $("$java" -version 2>&1 | sed -n 2p) ($JAVA_HOME)
- load average (1/5/15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)
EOF
}
