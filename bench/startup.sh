#!/usr/bin/env bash
# Whole-process benchmarks of the authrelay foundation: daemon startup to ready, daemon idle RSS, and
# the wall time of `authrelay status`. Each figure comes with a baseline measured in the same run, so
# the ratios stay meaningful on a noisy machine. Prints a markdown summary on stdout, progress on stderr.
#
#   bench/startup.sh                 # defaults
#   RUNS=20 HF_RUNS=50 bench/startup.sh > /tmp/bench.md
#
# Knobs (environment): RUNS (startup repetitions, 10), IDLE_SECS (idle wait before RSS, 5),
# STATUS_REQUESTS (requests before the second RSS reading, 200), HF_WARMUP (3), HF_RUNS (30),
# READY_TIMEOUT (seconds to wait for /readyz per run, 60), BEFORE (a built checkout of an older commit: its daemon is
# started on its own existing home interleaved with this one's, with its own AOT cache), COMPARE_CLI (a built
# checkout, e.g. main's: its status and version timed in the same hyperfine run as "before" rows).
# The launcher's AOT cache (JDK 25+) is trained first into a
# private XDG_CACHE_HOME in the work dir; rows marked "AUTHRELAY_AOT=0" run without it.
# Needs: curl, hyperfine (apt-get install -y hyperfine), a JDK >= 21 (found like bin/authrelay does).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

RUNS=${RUNS:-10}
IDLE_SECS=${IDLE_SECS:-5}
STATUS_REQUESTS=${STATUS_REQUESTS:-200}
HF_WARMUP=${HF_WARMUP:-3}
HF_RUNS=${HF_RUNS:-30}
READY_TIMEOUT=${READY_TIMEOUT:-60}
BEFORE=${BEFORE:-}
COMPARE_CLI=${COMPARE_CLI:-} # another built checkout: its `status --json` and `version` as "before" rows in section 3

. bench/lib.sh
require_tools curl hyperfine awk ss

# median min max of numbers on stdin
stats() { sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.0f %d %d\n", m, v[1], v[NR]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# Trivial programs for the baselines, compiled with the same JDK.
mkdir -p "$work/classes"
cat >"$work/Hello.java" <<'EOF'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
EOF
cat >"$work/Idle.java" <<'EOF'
public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(Long.parseLong(a[0]) * 1000); } }
EOF
"$JAVA_HOME/bin/javac" -d "$work/classes" "$work/Hello.java" "$work/Idle.java"

# Starts the daemon on a free port with home $1 (AUTHRELAY_AOT=$2, default 1) from checkout $3 (default this one, with
# AOT cache dir $4); sets srv_pid, srv_port and srv_t0 (ms, just before launch).
start_server() {
    srv_port=$(free_port)
    srv_t0=$(now_ms)
    XDG_CACHE_HOME=${4:-$XDG_CACHE_HOME} AUTHRELAY_AOT=${2:-1} "${3:-$root}/bin/authrelay" server --home "$1" \
        --listen "127.0.0.1:$srv_port" 2>>"$work/server.log" &
    srv_pid=$!
    pids+=("$srv_pid")
}
# Polls /readyz until 200; prints ms since $1. Fails after READY_TIMEOUT s or if the daemon died.
wait_ready() {
    local start=$1 deadline=$(( $(now_ms) + READY_TIMEOUT * 1000 )) code
    while [ "$(now_ms)" -lt "$deadline" ]; do
        code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$srv_port/readyz" || true)
        if [ "$code" = 200 ]; then
            echo $(( $(now_ms) - start ))
            # the daemon JVM's user + system CPU so far (the launcher execs java): less noisy than wall time under load
            awk -v hz="$(getconf CLK_TCK)" '{printf "%d\n", ($14 + $15) * 1000 / hz}' "/proc/$srv_pid/stat" >>"$work/cpu-$cpu_tag.ms"
            return 0
        fi
        kill -0 "$srv_pid" 2>/dev/null || { tail -n 20 "$work/server.log" >&2; die "daemon exited before ready"; }
        sleep 0.01
    done
    die "daemon not ready within ${READY_TIMEOUT}s (log: $work/server.log)"
}
stop_server() {
    kill -TERM "$srv_pid"
    local rc=0
    wait "$srv_pid" || rc=$?
    [ "$rc" = 0 ] || { log "warning: daemon exited with $rc on SIGTERM (expected 0)"; bad_stops=$((bad_stops + 1)); }
    stops=$((stops + 1))
}
stops=0; bad_stops=0
time_cmd() { local s; s=$(now_ms); "$@" >/dev/null 2>&1; echo $(( $(now_ms) - s )); }

# Make sure the timed runs never include a build: the launcher rebuilds when sources are newer than dist.
log "warm-up (launcher build check, page cache) and the AOT caches' training (AUTHRELAY_AOT=foreground)"
export XDG_CACHE_HOME="$work/cache"
AUTHRELAY_AOT=foreground bin/authrelay version >/dev/null
[ -z "$COMPARE_CLI" ] || AUTHRELAY_AOT=foreground "$COMPARE_CLI/bin/authrelay" version >/dev/null
aot_files=$(ls "$XDG_CACHE_HOME/authrelay/aot" 2>/dev/null | tr '\n' ' ' || true)
log "AOT caches: ${aot_files:-none (JDK < 25?)}"
time_cmd "$java" "${jvm_flags[@]}" -cp "$work/classes" Hello >/dev/null
existing_home="$work/existing-home"
cpu_tag=warmup
start_server "$existing_home"; wait_ready "$srv_t0" >/dev/null; stop_server
before_home="$work/existing-home-before"; before_cache="$work/cache-before"
if [ -n "$BEFORE" ]; then
    log "BEFORE=$BEFORE: training its AOT caches, then its daemon's first start"
    XDG_CACHE_HOME=$before_cache AUTHRELAY_AOT=foreground "$BEFORE/bin/authrelay" version >/dev/null
    start_server "$before_home" 1 "$BEFORE" "$before_cache"; wait_ready "$srv_t0" >/dev/null; stop_server
fi

# ---------------------------------------------------------------- 1. startup to ready
log "1. startup to first 200 from /readyz, $RUNS runs each (interleaved with the baselines)"
: >"$work/hello.ms"; : >"$work/version.ms"; : >"$work/fresh.ms"; : >"$work/existing.ms"; : >"$work/existing-noaot.ms"
: >"$work/before.ms"; : >"$work/cpu-existing.ms"; : >"$work/cpu-before.ms"
for i in $(seq 1 "$RUNS"); do
    time_cmd "$java" "${jvm_flags[@]}" -cp "$work/classes" Hello >>"$work/hello.ms"
    time_cmd bin/authrelay version >>"$work/version.ms"
    home="$work/fresh-home-$i"; mkdir -m 700 "$home"
    cpu_tag=fresh; start_server "$home"; wait_ready "$srv_t0" >>"$work/fresh.ms"; stop_server
    cpu_tag=existing; start_server "$existing_home"; wait_ready "$srv_t0" >>"$work/existing.ms"; stop_server
    if [ -n "$BEFORE" ]; then
        cpu_tag=before; start_server "$before_home" 1 "$BEFORE" "$before_cache"; wait_ready "$srv_t0" >>"$work/before.ms"
        stop_server
    fi
    cpu_tag=noaot; start_server "$existing_home" 0; wait_ready "$srv_t0" >>"$work/existing-noaot.ms"; stop_server
    log "  run $i: hello $(tail -n1 "$work/hello.ms") ms, version $(tail -n1 "$work/version.ms") ms, fresh $(tail -n1 "$work/fresh.ms") ms, existing $(tail -n1 "$work/existing.ms") ms, existing without AOT $(tail -n1 "$work/existing-noaot.ms") ms"
done
read -r hello_med hello_min hello_max < <(stats <"$work/hello.ms")
read -r ver_med ver_min ver_max < <(stats <"$work/version.ms")
read -r fresh_med fresh_min fresh_max < <(stats <"$work/fresh.ms")
read -r exist_med exist_min exist_max < <(stats <"$work/existing.ms")
read -r noaot_med noaot_min noaot_max < <(stats <"$work/existing-noaot.ms")
read -r cpu_med _ _ < <(stats <"$work/cpu-existing.ms")
before_rows=""
if [ -n "$BEFORE" ]; then
    read -r before_med before_min before_max < <(stats <"$work/before.ms")
    read -r cpu_before_med _ _ < <(stats <"$work/cpu-before.ms")
    before_rows="| daemon launch to /readyz, existing home, BEFORE ($(git -C "$BEFORE" rev-parse --short HEAD)) | trivial JVM $hello_med ms | $before_med ms | $(ratio "$before_med" "$hello_med")x | (before) |
| this daemon / BEFORE, existing home: wall; CPU to ready ($cpu_med vs $cpu_before_med ms) | - | $(ratio "$exist_med" "$before_med")x | $(ratio "$cpu_med" "$cpu_before_med")x | - |"
fi

# ---------------------------------------------------------------- 2. idle RSS
log "2. idle RSS: daemon and a sleeping trivial JVM, ${IDLE_SECS}s idle each"
"$java" "${jvm_flags[@]}" -cp "$work/classes" Idle $((IDLE_SECS + 600)) &
idle_pid=$!; pids+=("$idle_pid")
rss_home="$work/rss-home"; mkdir -m 700 "$rss_home"
cpu_tag=rss; start_server "$rss_home"   # the launcher execs java, so srv_pid is the JVM
wait_ready "$srv_t0" >/dev/null
sleep "$IDLE_SECS"
rss_idle=$(rss_kb "$srv_pid"); rss_base=$(rss_kb "$idle_pid")
daemon_cmd=$(tr '\0' ' ' <"/proc/$srv_pid/cmdline" | cut -c1-60)
case "$daemon_cmd" in *java*) ;; *) log "warning: PID $srv_pid is not the JVM: $daemon_cmd";; esac

export AUTHRELAY_URL="http://127.0.0.1:$srv_port" AUTHRELAY_HOME="$rss_home"
printf 'Authorization: Bearer %s\n' "$(cat "$rss_home/admin.token")" >"$work/auth.header"
log "   $STATUS_REQUESTS GET /v1/status requests (the call bin/authrelay status makes)"
fails=0
for _ in $(seq 1 "$STATUS_REQUESTS"); do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -H @"$work/auth.header" "$AUTHRELAY_URL/v1/status" || true)
    [ "$code" = 200 ] || fails=$((fails + 1))
done
[ "$fails" = 0 ] || log "warning: $fails of $STATUS_REQUESTS status requests did not return 200"
sleep 1
rss_after=$(rss_kb "$srv_pid"); rss_base_after=$(rss_kb "$idle_pid")

# ---------------------------------------------------------------- 3. CLI wall time
log "3. hyperfine: status --json (with and without the AOT cache, with and without the launcher) vs version vs curl vs trivial JVM (warmup $HF_WARMUP, runs $HF_RUNS)"
bin/authrelay status --json >/dev/null || die "bin/authrelay status failed against the daemon"
aot_cli=$(ls "$XDG_CACHE_HOME"/authrelay/aot/cli-*.aot 2>/dev/null | head -n 1 || true)
direct_cli="$java ${jvm_flags[*]} --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${aot_cli:+-XX:AOTCache=$aot_cli -Xlog:aot*=off -Xlog:cds*=off} -cp $root/dist/lib/* io.authrelay.cli.Main"
compare_rows=()
[ -z "$COMPARE_CLI" ] || compare_rows=(-n "before: authrelay status" "$COMPARE_CLI/bin/authrelay status --json"
    -n "before: authrelay version" "$COMPARE_CLI/bin/authrelay version")
hyperfine -N --style basic --warmup "$HF_WARMUP" --runs "$HF_RUNS" "${compare_rows[@]}" \
    --export-csv "$work/hf.csv" --export-markdown "$work/hf.md" \
    -n "authrelay status" "bin/authrelay status --json" \
    -n "authrelay status (AUTHRELAY_AOT=0)" "env AUTHRELAY_AOT=0 bin/authrelay status --json" \
    -n "java Main status (no launcher; same flags and cache)" "$direct_cli status --json" \
    -n "authrelay version" "bin/authrelay version" \
    -n "java Main version (no launcher; same flags and cache)" "$direct_cli version" \
    -n "curl /v1/status" "curl -s -o /dev/null -H @$work/auth.header $AUTHRELAY_URL/v1/status" \
    -n "trivial JVM (Hello)" "$java ${jvm_flags[*]} -cp $work/classes Hello" >&2
hf() { awk -F, -v n="$1" -v c="$2" '$1 == n {printf "%.1f", $c * 1000}' "$work/hf.csv"; }   # csv: command,mean,stddev,median,user,system,min,max
st_noaot_med=$(hf "authrelay status (AUTHRELAY_AOT=0)" 4); st_direct_med=$(hf "java Main status (no launcher; same flags and cache)" 4)
ver_direct_med=$(hf "java Main version (no launcher; same flags and cache)" 4)
st_med=$(hf "authrelay status" 4); ver2_med=$(hf "authrelay version" 4); curl_med=$(hf "curl /v1/status" 4); hello2_med=$(hf "trivial JVM (Hello)" 4)
rss_hf=$(rss_kb "$srv_pid")
stop_server

# ---------------------------------------------------------------- summary
cat <<EOF
## Targets (issue 14)

| figure | baseline (same run) | figure | ratio | target |
| --- | ---: | ---: | ---: | ---: |
| daemon launch to /readyz, existing home, AOT cache | trivial JVM $hello_med ms | $exist_med ms | $(ratio "$exist_med" "$hello_med")x | <= 25x |
| daemon launch to /readyz, fresh home, AOT cache | trivial JVM $hello_med ms | $fresh_med ms | $(ratio "$fresh_med" "$hello_med")x | <= 25x |
| daemon launch to /readyz, existing home, AUTHRELAY_AOT=0 | trivial JVM $hello_med ms | $noaot_med ms | $(ratio "$noaot_med" "$hello_med")x | (before) |
${before_rows:+$before_rows
}| \`authrelay status --json\`, AOT cache | trivial JVM $hello2_med ms | $st_med ms | $(ratio "$st_med" "$hello2_med")x | <= 6x |
| \`authrelay status --json\`, AUTHRELAY_AOT=0 | trivial JVM $hello2_med ms | $st_noaot_med ms | $(ratio "$st_noaot_med" "$hello2_med")x | (before) |
$([ -z "$COMPARE_CLI" ] || echo "| \`authrelay status --json\`, $COMPARE_CLI (before) | trivial JVM $hello2_med ms | $(hf "before: authrelay status" 4) ms | $(ratio "$(hf "before: authrelay status" 4)" "$hello2_med")x | (before) |")
| launcher's own cost: \`bin/authrelay version\` - \`java ... Main version\` | - | $(awk -v a="$ver2_med" -v b="$ver_direct_med" 'BEGIN {printf "%.1f", a - b}') ms | - | - |

## Run

$(machine_lines)
- JVM flags of the launcher and the baselines: ${jvm_flags[*]}

## 1. Daemon startup to first 200 from /readyz ($RUNS runs, interleaved)

| what | median ms | min ms | max ms | median vs trivial JVM |
| --- | ---: | ---: | ---: | ---: |
| baseline: trivial JVM (Hello, start and exit) | $hello_med | $hello_min | $hello_max | 1.00 |
| baseline: \`bin/authrelay version\` (launcher + CLI) | $ver_med | $ver_min | $ver_max | $(ratio "$ver_med" "$hello_med") |
| \`authrelay server\`, fresh empty home | $fresh_med | $fresh_min | $fresh_max | $(ratio "$fresh_med" "$hello_med") |
| \`authrelay server\`, existing home | $exist_med | $exist_min | $exist_max | $(ratio "$exist_med" "$hello_med") |
| \`authrelay server\`, existing home, AUTHRELAY_AOT=0 | $noaot_med | $noaot_min | $noaot_max | $(ratio "$noaot_med" "$hello_med") |

Server times run from launching \`bin/authrelay server\` to the first 200 from /readyz, polled with curl every ~10 ms
plus a curl start (resolution ~15-20 ms). Fresh vs existing home: $(ratio "$fresh_med" "$exist_med")x. Beyond the
launcher + CLI startup (median \`version\`): fresh $((fresh_med - ver_med)) ms, existing $((exist_med - ver_med)) ms.

## 2. Daemon RSS (VmRSS)

| what | daemon MiB | trivial idle JVM MiB | ratio |
| --- | ---: | ---: | ---: |
| after /readyz + ${IDLE_SECS}s idle | $(mib "$rss_idle") | $(mib "$rss_base") | $(ratio "$rss_idle" "$rss_base") |
| after $STATUS_REQUESTS GET /v1/status (+1 s) | $(mib "$rss_after") | $(mib "$rss_base_after") | $(ratio "$rss_after" "$rss_base_after") |
| after the hyperfine runs below ($(( (HF_WARMUP + HF_RUNS) * 2 + 1 )) more requests) | $(mib "$rss_hf") | - | - |

Status requests that did not return 200: $fails. Daemon stops by SIGTERM that did not exit 0: $bad_stops of $stops.

## 3. \`bin/authrelay status\` wall time (hyperfine, warmup $HF_WARMUP, $HF_RUNS runs, no shell)

$(cat "$work/hf.md")

Medians: status ${st_med} ms; status/version $(ratio "$st_med" "$ver2_med"), status/curl $(ratio "$st_med" "$curl_med"),
version/trivial JVM $(ratio "$ver2_med" "$hello2_med"), status - version = $(awk -v a="$st_med" -v b="$ver2_med" 'BEGIN {printf "%.1f", a - b}') ms (what status adds over version: HTTP client and JSON setup plus the round trip).
EOF
