#!/usr/bin/env bash
# What 10,000 concurrent pending device-flow logins cost ONE authrelay daemon, against the
# provider simulator, with the old one-process-per-login design measured in the same run as the baseline.
# Prints a markdown summary on stdout, progress on stderr.
#
#   bench/pending-logins.sh > /tmp/pending.md                 # defaults: ~10 minutes
#   LOGINS=2000 WINDOW_SECS=60 bench/pending-logins.sh         # a quick look
#
# What it does, in order, on 127.0.0.1 only:
#   1. starts `authrelay dev provider-sim` (github flavor, interval 5 s, codes valid 30 min) and a daemon on a
#      fresh home; measures the daemon's live heap (jcmd GC.class_histogram, which runs a full GC) and VmRSS
#      empty, then after creating LOGINS providers (the baseline for the per-login figures);
#   2. starts one login per provider, waits SETTLE_SECS, then watches a WINDOW_SECS steady-state window:
#      daemon and simulator CPU (utime+stime from /proc/PID/stat), the simulator's poll log (lateness of each
#      poll against the previous poll of the same code + 6 s, slow_down answers), /metrics; then the live heap
#      and VmRSS with LOGINS pending;
#   3. stops the daemon and runs the baseline against the same simulator: NODE_POLLERS processes of
#      bench/pending-logins/poller.js (one per login) and JVM_POLLERS of Poller.java, each measured over
#      BASELINE_WINDOW_SECS (RSS, PSS from smaps_rollup, CPU, lateness), and extrapolated per login.
#
# Knobs (environment): LOGINS (10000), CREATE_CONCURRENCY (4), SETTLE_SECS (60), WINDOW_SECS (180),
# SAMPLE_SECS (15), NODE_POLLERS (100), JVM_POLLERS (20; 0 skips), BASELINE_SETTLE_SECS (20),
# BASELINE_WINDOW_SECS (60), DAEMON_JAVA_OPTS (extra JVM flags for the daemon, e.g. -Xmx256m),
# NMT (1: run the daemon with -XX:NativeMemoryTracking=summary and report the summary diff), READY_TIMEOUT (60 s),
# DAEMON_ROOT (another built checkout whose bin/authrelay runs the daemon; the simulator stays this one's),
# RESULT_FILE (also writes the headline figures there as key=value lines: what bench/pending-logins-sweep.sh reads).
# Needs: curl, node (>= 18), awk, ss, a JDK >= 21 with jcmd (found like bin/authrelay does).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

LOGINS=${LOGINS:-10000}
CREATE_CONCURRENCY=${CREATE_CONCURRENCY:-4}
SETTLE_SECS=${SETTLE_SECS:-60}
WINDOW_SECS=${WINDOW_SECS:-180}
SAMPLE_SECS=${SAMPLE_SECS:-15}
NODE_POLLERS=${NODE_POLLERS:-100}
JVM_POLLERS=${JVM_POLLERS:-20}
BASELINE_SETTLE_SECS=${BASELINE_SETTLE_SECS:-20}
BASELINE_WINDOW_SECS=${BASELINE_WINDOW_SECS:-60}
DAEMON_JAVA_OPTS=${DAEMON_JAVA_OPTS:-}
DAEMON_ROOT=${DAEMON_ROOT:-}
RESULT_FILE=${RESULT_FILE:-}
NMT=${NMT:-0}
READY_TIMEOUT=${READY_TIMEOUT:-60}
INTERVAL=5                                         # the simulator's poll interval
EXPECTED_GAP_MS=$(( INTERVAL * 1000 + (INTERVAL * 200 > 1000 ? INTERVAL * 200 : 1000) ))   # interval + max(1 s, interval/5)

. bench/lib.sh
require_tools curl node awk ss
jcmd="$JAVA_HOME/bin/jcmd"
[ -x "$jcmd" ] || die "jcmd not found in $JAVA_HOME (a full JDK is needed)"

pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }     # utime + stime, in clock ticks
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # all CPUs: user nice system irq softirq steal
calc() { awk "BEGIN {printf \"$1\", $2}"; }
hz=$(getconf CLK_TCK)
ncpu=$(nproc)
# Live heap in bytes: GC.class_histogram runs a full GC first and counts only reachable objects.
live_heap() { "$jcmd" "$1" GC.class_histogram >"$work/histo-$2.txt"; awk '/^Total/ {print $3}' "$work/histo-$2.txt"; }
heap_info() { "$jcmd" "$1" GC.heap_info | sed 's/^/    /' >"$work/heapinfo-$2.txt"; }
wait_http() {   # url what pid: polls until 200, bounded by READY_TIMEOUT
    local deadline=$(( $(now_ms) + READY_TIMEOUT * 1000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$1" || true)" = 200 ] && return 0
        kill -0 "$3" 2>/dev/null || die "$2 exited before it was ready (logs in $work)"
        sleep 0.1
    done
    die "$2 not ready within ${READY_TIMEOUT}s"
}
metric_sum() {  # name [file]: sum of all series of a metric in a /metrics scrape (default: the latest)
    awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $NF} END {printf "%.6f", s}' "${2:-$work/metrics.txt}"
}
fetch_metrics() { curl -s -m 10 -H @"$work/auth.header" "$daemon_url/metrics" >"$work/metrics.txt" || : >"$work/metrics.txt"; }

log "warm-up: launcher build check"
bin/authrelay version >/dev/null
mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp "$root/dist/lib/*" -d "$work/classes" bench/pending-logins/Bench.java bench/pending-logins/Poller.java
bench() { "$java" -cp "$work/classes:$root/dist/lib/*" Bench "$@"; }

# ---------------------------------------------------------------- simulator and daemon
sim_port=$(free_port)
sim_url="http://127.0.0.1:$sim_port"
bin/authrelay dev provider-sim --listen "127.0.0.1:$sim_port" --flavor github --interval "$INTERVAL" \
    --code-lifetime 1800 --token-lifetime 0 >"$work/sim.out" 2>"$work/sim.log" &
sim_pid=$!; pids+=("$sim_pid")
wait_http "$sim_url/sim/grants" simulator "$sim_pid"
log "simulator up at $sim_url (pid $sim_pid)"

home="$work/home"; mkdir -m 700 "$home"
daemon_port=$(free_port)
daemon_url="http://127.0.0.1:$daemon_port"
daemon_opts="$DAEMON_JAVA_OPTS"
[ "$NMT" = 1 ] && daemon_opts="$daemon_opts -XX:NativeMemoryTracking=summary"
AUTHRELAY_JAVA_OPTS="$daemon_opts" "${DAEMON_ROOT:-$root}/bin/authrelay" server --home "$home" --listen "127.0.0.1:$daemon_port" 2>"$work/server.log" &
daemon_pid=$!; pids+=("$daemon_pid")   # the launcher execs java: this is the JVM
wait_http "$daemon_url/readyz" daemon "$daemon_pid"
(umask 077; printf 'Authorization: Bearer %s\n' "$(cat "$home/admin.token")" >"$work/auth.header")
log "daemon up at $daemon_url (pid $daemon_pid, from ${DAEMON_ROOT:-$root}, extra JVM flags: ${daemon_opts:-none})"
jvm_opts_of() { tr '\0' '\n' <"/proc/$1/cmdline" | { grep -E '^-X' || true; } | { grep -v '^-XX:+UseSerialGC$' || true; } | tr '\n' ' ' | sed 's/ $//'; }
daemon_flags="-XX:+UseSerialGC $(jvm_opts_of "$daemon_pid")"; sim_flags="-XX:+UseSerialGC $(jvm_opts_of "$sim_pid")"
nmt() { [ "$NMT" = 1 ] && "$jcmd" "$daemon_pid" VM.native_memory "$@" >/dev/null 2>&1 || true; }

sleep 5
heap_empty=$(live_heap "$daemon_pid" empty); rss_empty=$(rss_kb "$daemon_pid")
log "empty daemon: live heap $(mib $((heap_empty / 1024))) MiB, RSS $(mib "$rss_empty") MiB"

log "creating $LOGINS providers ($CREATE_CONCURRENCY at a time)"
providers_out=$(bench create providers "$daemon_url" "$home/admin.token" "$sim_url" "$LOGINS" "$CREATE_CONCURRENCY" p)
log "  $providers_out"
sleep 5
heap_prov=$(live_heap "$daemon_pid" providers); heap_info "$daemon_pid" providers; rss_prov=$(rss_kb "$daemon_pid")
rss_sim_prov=$(rss_kb "$sim_pid")
nmt baseline
log "with $LOGINS providers, 0 pending: live heap $(mib $((heap_prov / 1024))) MiB, RSS $(mib "$rss_prov") MiB"

log "starting $LOGINS logins ($CREATE_CONCURRENCY at a time)"
logins_t0=$(now_ms)
logins_out=$(bench create logins "$daemon_url" "$home/admin.token" "$sim_url" "$LOGINS" "$CREATE_CONCURRENCY" p)
logins_t1=$(now_ms)
log "  $logins_out"

log "settling ${SETTLE_SECS}s"
sleep "$SETTLE_SECS"

# ---------------------------------------------------------------- steady-state window
samples="$work/samples.tsv"
printf 't_s\tdaemon_rss_mib\tsim_rss_mib\tpolls_total\tpending\theartbeat_age_s\twal_mib\tload1\n' >"$samples"
wal_kb() { du -k "$home"/*.db-wal 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
sample() {
    fetch_metrics
    printf '%s\t%s\t%s\t%.0f\t%.0f\t%.1f\t%s\t%s\n' $(( ($(now_ms) - w_t0) / 1000 )) "$(mib "$(rss_kb "$daemon_pid")")" \
        "$(mib "$(rss_kb "$sim_pid")")" "$(metric_sum authrelay_login_polls_total)" "$(metric_sum authrelay_logins_pending)" \
        "$(metric_sum authrelay_scheduler_heartbeat_age_seconds)" "$(mib "$(wal_kb)")" "$(cut -d' ' -f1 /proc/loadavg)" >>"$samples"
}
log "steady-state window: ${WINDOW_SECS}s"
w_t0=$(now_ms); d_cpu0=$(cpu_ticks "$daemon_pid"); s_cpu0=$(cpu_ticks "$sim_pid"); all_cpu0=$(busy_ticks); sys_load0=$(cut -d' ' -f1-3 /proc/loadavg)
fetch_metrics; cp "$work/metrics.txt" "$work/metrics-0.txt"
sample
for _ in $(seq 1 $(( WINDOW_SECS / SAMPLE_SECS ))); do
    sleep "$SAMPLE_SECS"
    kill -0 "$daemon_pid" 2>/dev/null || die "daemon died during the window (log: $work/server.log)"
    sample
done
sleep $(( WINDOW_SECS % SAMPLE_SECS ))
w_t1=$(now_ms); d_cpu1=$(cpu_ticks "$daemon_pid"); s_cpu1=$(cpu_ticks "$sim_pid"); all_cpu1=$(busy_ticks); sys_load1=$(cut -d' ' -f1-3 /proc/loadavg)
rss_pend=$(rss_kb "$daemon_pid"); rss_sim_pend=$(rss_kb "$sim_pid")
fetch_metrics; cp "$work/metrics.txt" "$work/metrics-1.txt"
win_s=$(calc %.1f "($w_t1 - $w_t0) / 1000")

lateness_d="$work/lateness-daemon.txt"
bench lateness "$sim_url" "$w_t0" "$w_t1" "$EXPECTED_GAP_MS" - >"$lateness_d"
L() { sed -n "s/^$1=//p" "$2"; }
log "  daemon lateness: p50 $(L p50 "$lateness_d") p99 $(L p99 "$lateness_d") max $(L max "$lateness_d") ms, slow_down $(L slow_down "$lateness_d")"

# Heap and RSS with everything pending, after the window (a full GC inside it would disturb the timing).
heap_pend=$(live_heap "$daemon_pid" pending); heap_info "$daemon_pid" pending
rss_pend_gc=$(rss_kb "$daemon_pid")
[ "$NMT" = 1 ] && "$jcmd" "$daemon_pid" VM.native_memory summary.diff >"$work/nmt-diff.txt" 2>&1
fetch_metrics
pending_after=$(metric_sum authrelay_logins_pending)
log "with $LOGINS pending: live heap $(mib $((heap_pend / 1024))) MiB, RSS $(mib "$rss_pend") MiB"

# Poll counter and latency over the window, from /metrics.
m_delta() { calc %.6f "$(metric_sum "$1" "$work/metrics-1.txt") - $(metric_sum "$1" "$work/metrics-0.txt")"; }
polls_delta=$(m_delta authrelay_login_polls_total)
lat_sum=$(m_delta authrelay_login_poll_latency_seconds_sum)
lat_count=$(m_delta authrelay_login_poll_latency_seconds_count)
lat_max=$(metric_sum authrelay_login_poll_latency_seconds_max "$work/metrics-1.txt")

db_bytes=$(du -cb "$home"/*.db* 2>/dev/null | awk 'END {print $1}')
db_files=$(cd "$home" && ls -l -- *.db* 2>/dev/null | awk '{printf "%s%s %.1f MiB", sep, $NF, $5 / 1048576; sep = ", "}')
log "stopping the daemon"
kill -TERM "$daemon_pid"; daemon_rc=0; wait "$daemon_pid" || daemon_rc=$?

# ---------------------------------------------------------------- baseline: one process per login
# run_pollers NAME COUNT CMD...: starts COUNT pollers (one login each) against the simulator, settles,
# measures over BASELINE_WINDOW_SECS, stops them. Sets b_* results, and the file $work/lateness-NAME.txt.
run_pollers() {
    local name=$1 count=$2; shift 2
    local bpids=() p i
    log "baseline $name: starting $count pollers"
    : >"$work/codes-$name.txt"
    for i in $(seq 1 "$count"); do
        "$@" "$sim_url" bench >"$work/code-$name-$i.txt" 2>>"$work/pollers-$name.log" &
        p=$!; bpids+=("$p"); pids+=("$p")
    done
    sleep "$BASELINE_SETTLE_SECS"
    local cpu0=0 cpu1=0 t0 t1
    for p in "${bpids[@]}"; do kill -0 "$p" 2>/dev/null || die "a $name poller exited early (see $work/pollers-$name.log)"; done
    t0=$(now_ms); for p in "${bpids[@]}"; do cpu0=$((cpu0 + $(cpu_ticks "$p"))); done
    local s0; s0=$(cpu_ticks "$sim_pid")
    sleep "$BASELINE_WINDOW_SECS"
    t1=$(now_ms); for p in "${bpids[@]}"; do cpu1=$((cpu1 + $(cpu_ticks "$p"))); done
    local s1; s1=$(cpu_ticks "$sim_pid")
    b_rss=0; b_pss=0
    for p in "${bpids[@]}"; do b_rss=$((b_rss + $(rss_kb "$p"))); b_pss=$((b_pss + $(pss_kb "$p"))); done
    b_cpu_ticks=$((cpu1 - cpu0)); b_sim_ticks=$((s1 - s0)); b_secs=$(calc %.1f "($t1 - $t0) / 1000")
    cat "$work"/code-"$name"-*.txt >"$work/codes-$name.txt"
    bench lateness "$sim_url" "$t0" "$t1" "$EXPECTED_GAP_MS" "$work/codes-$name.txt" >"$work/lateness-$name.txt"
    for p in "${bpids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${bpids[@]}"; do wait "$p" 2>/dev/null || true; done
    log "  $name: RSS sum $(mib "$b_rss") MiB, PSS sum $(mib "$b_pss") MiB, CPU $b_cpu_ticks ticks in ${b_secs}s"
}
run_pollers node "$NODE_POLLERS" node bench/pending-logins/poller.js
n_rss=$b_rss; n_pss=$b_pss; n_ticks=$b_cpu_ticks; n_secs=$b_secs; n_sim_ticks=$b_sim_ticks
node_version=$(node --version)
if [ "$JVM_POLLERS" -gt 0 ]; then
    run_pollers jvm "$JVM_POLLERS" "$java" "${jvm_flags[@]}" -cp "$work/classes" Poller
    j_rss=$b_rss; j_pss=$b_pss; j_ticks=$b_cpu_ticks; j_secs=$b_secs; j_sim_ticks=$b_sim_ticks
fi

# ---------------------------------------------------------------- summary
pct_core() { calc %.1f "$1 / $hz / $2 * 100"; }               # ticks secs -> % of one core
pct_machine() { calc %.1f "$1 / $hz / $2 * 100 / $ncpu"; }
per_login_kib() { calc %.2f "$1 / $2"; }                       # KiB count
d_ticks=$((d_cpu1 - d_cpu0)); s_ticks=$((s_cpu1 - s_cpu0)); o_ticks=$((all_cpu1 - all_cpu0 - d_ticks - s_ticks))
heap_per=$(calc %.0f "($heap_pend - $heap_prov) / $LOGINS")
rss_per=$(calc %.1f "($rss_pend - $rss_prov) / $LOGINS")
hist_top() {   # the classes whose live bytes grew most between two histograms
    awk 'FNR == NR && $1 ~ /^[0-9]+:$/ {a[$4] = $3; next} $1 ~ /^[0-9]+:$/ {d = $3 - a[$4]; if (d > 0) print d, $4}' \
        "$work/histo-$1.txt" "$work/histo-$2.txt" | sort -rn | head -n "$3" |
        awk -v n="$LOGINS" '{printf "| `%s` | %.1f | %.0f |\n", $2, $1 / 1048576, $1 / n}'
}
jdk=$("$java" -version 2>&1 | sed -n 2p)
Ld() { L "$1" "$lateness_d"; }
col_max() { awk -F'\t' -v c="$1" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == c) k = i; next} $k > m {m = $k} END {print m + 0}' "$samples"; }
if [ -n "$RESULT_FILE" ]; then
    cat >"$RESULT_FILE" <<EOF
logins=$LOGINS
polls_per_s=$(Ld polls_per_s)
needed_per_s=$(calc %.0f "$LOGINS * 1000 / $EXPECTED_GAP_MS")
p50_ms=$(Ld p50)
p99_ms=$(Ld p99)
max_ms=$(Ld max)
slow_down=$(Ld slow_down)
codes_polled=$(Ld codes_polled)
daemon_cpu_pct_core=$(pct_core "$d_ticks" "$win_s")
sim_cpu_pct_core=$(pct_core "$s_ticks" "$win_s")
sim_cpu_pct_machine=$(pct_machine "$s_ticks" "$win_s")
other_cpu_pct_core=$(pct_core "$o_ticks" "$win_s")
daemon_cpu_ms_per_poll=$(calc %.2f "$d_ticks / $hz * 1000 / ($(Ld polls) > 0 ? $(Ld polls) : 1)")
rss_end_mib=$(mib "$rss_pend")
rss_max_mib=$(col_max daemon_rss_mib)
heap_per_login_bytes=$heap_per
wal_max_mib=$(col_max wal_mib)
heartbeat_age_max_s=$(col_max heartbeat_age_s)
load_window=$sys_load0 / $sys_load1
EOF
fi
Ln() { L "$1" "$work/lateness-node.txt"; }
Lj() { [ "$JVM_POLLERS" -gt 0 ] && L "$1" "$work/lateness-jvm.txt" || echo -; }
cat <<EOF
## Run

- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- authrelay-*/src 2>/dev/null || echo ' (with local source changes)')
- machine: $ncpu CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(free -h | awk '/^Mem:/ {print $2}') RAM, kernel $(uname -r)
- JDK: $jdk; JVM flags (from /proc/PID/cmdline): daemon \`$daemon_flags\`, simulator \`$sim_flags\`; JVM pollers \`${jvm_flags[*]}\`
- node: $node_version
- load average at start: $load_start; window start: $sys_load0; window end: $sys_load1; end: $(cut -d' ' -f1-3 /proc/loadavg)
- knobs: LOGINS=$LOGINS CREATE_CONCURRENCY=$CREATE_CONCURRENCY SETTLE_SECS=$SETTLE_SECS WINDOW_SECS=$WINDOW_SECS NODE_POLLERS=$NODE_POLLERS JVM_POLLERS=$JVM_POLLERS BASELINE_WINDOW_SECS=$BASELINE_WINDOW_SECS
- providers: $providers_out
- logins: $logins_out (from the first to the last login: $(( (logins_t1 - logins_t0) / 1000 )) s)
- window: ${win_s} s, starting $(( (w_t0 - logins_t1) / 1000 )) s after the last login started; pending at the end: $(printf %.0f "$pending_after")

## 1-2. Daemon memory with $LOGINS pending logins

Live heap = total of \`jcmd PID GC.class_histogram\` (full GC first, reachable objects only). Baseline: the same
daemon with $LOGINS providers and no login, just before the logins were started.

| daemon state | live heap MiB | VmRSS MiB |
| --- | ---: | ---: |
| empty (fresh home, 5 s after ready) | $(mib $((heap_empty / 1024))) | $(mib "$rss_empty") |
| baseline: $LOGINS providers, 0 pending | $(mib $((heap_prov / 1024))) | $(mib "$rss_prov") |
| $LOGINS pending, end of the window (before the full GC) | - | $(mib "$rss_pend") |
| $LOGINS pending, after the full GC | $(mib $((heap_pend / 1024))) | $(mib "$rss_pend_gc") |

- **heap per pending login: $heap_per bytes ($(calc %.2f "$heap_per / 1024") KiB)** = (live heap pending - baseline) / $LOGINS
- **RSS per pending login: $rss_per KiB** = (VmRSS end of window - baseline) / $LOGINS; total RSS $(mib "$rss_pend") MiB
- per provider (for reference): heap $(calc %.0f "($heap_prov - $heap_empty) / $LOGINS") bytes, RSS $(calc %.1f "($rss_prov - $rss_empty) / $LOGINS") KiB
- SQLite files in the home at the end: $(mib $((db_bytes / 1024))) MiB ($db_files)
- simulator VmRSS: $(mib "$rss_sim_prov") MiB before the logins, $(mib "$rss_sim_pend") MiB at the end of the window

Classes whose live bytes grew most from the baseline to $LOGINS pending:

| class | MiB | bytes per login |
| --- | ---: | ---: |
$(hist_top providers pending 12)

Heap after the full GC with $LOGINS pending (\`jcmd GC.heap_info\`):

$(cat "$work/heapinfo-pending.txt")

## 3-4. Polling over the window: lateness and CPU

Lateness = the gap between two consecutive polls of the same user code, as the simulator received them,
minus the expected ${EXPECTED_GAP_MS} ms (interval ${INTERVAL} s + padding); only gaps that end inside the window.

| poller | polls | polls/s | codes polled | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | min ms | gaps > 1 s late | slow_down |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| daemon, $LOGINS logins | $(Ld polls) | $(Ld polls_per_s) | $(Ld codes_polled) | $(Ld p50) | $(Ld p90) | $(Ld p99) | $(Ld p999) | $(Ld max) | $(Ld min) | $(Ld over_1s) | $(Ld slow_down) |
| baseline: $NODE_POLLERS node processes | $(Ln polls) | $(Ln polls_per_s) | $(Ln codes_polled) | $(Ln p50) | $(Ln p90) | $(Ln p99) | $(Ln p999) | $(Ln max) | $(Ln min) | $(Ln over_1s) | $(Ln slow_down) |
| baseline: $JVM_POLLERS JVM processes | $(Lj polls) | $(Lj polls_per_s) | $(Lj codes_polled) | $(Lj p50) | $(Lj p90) | $(Lj p99) | $(Lj p999) | $(Lj max) | $(Lj min) | $(Lj over_1s) | $(Lj slow_down) |

Responses in the daemon window: $(Ld responses). Daemon /metrics over the window: $(printf %.0f "$polls_delta") polls counted,
mean poll round trip $(calc %.1f "$lat_sum / ($lat_count > 0 ? $lat_count : 1) * 1000") ms, max (recent) $(calc %.0f "$lat_max * 1000") ms.

CPU (utime + stime from /proc/PID/stat; $ncpu CPUs, $hz ticks/s):

| process | window s | CPU s | % of one core | % of the machine | CPU ms per poll |
| --- | ---: | ---: | ---: | ---: | ---: |
| daemon, $LOGINS logins | $win_s | $(calc %.1f "$d_ticks / $hz") | $(pct_core "$d_ticks" "$win_s") | $(pct_machine "$d_ticks" "$win_s") | $(calc %.2f "$d_ticks / $hz * 1000 / ($(Ld polls) > 0 ? $(Ld polls) : 1)") |
| simulator, same window | $win_s | $(calc %.1f "$s_ticks / $hz") | $(pct_core "$s_ticks" "$win_s") | $(pct_machine "$s_ticks" "$win_s") | $(calc %.2f "$s_ticks / $hz * 1000 / ($(Ld polls) > 0 ? $(Ld polls) : 1)") |
| everything else on the machine, same window (/proc/stat) | $win_s | $(calc %.1f "$o_ticks / $hz") | $(pct_core "$o_ticks" "$win_s") | $(pct_machine "$o_ticks" "$win_s") | - |
| baseline: $NODE_POLLERS node processes (sum) | $n_secs | $(calc %.1f "$n_ticks / $hz") | $(pct_core "$n_ticks" "$n_secs") | $(pct_machine "$n_ticks" "$n_secs") | $(calc %.2f "$n_ticks / $hz * 1000 / ($(Ln polls) > 0 ? $(Ln polls) : 1)") |
| simulator, node window | $n_secs | $(calc %.1f "$n_sim_ticks / $hz") | $(pct_core "$n_sim_ticks" "$n_secs") | $(pct_machine "$n_sim_ticks" "$n_secs") | - |
EOF
if [ "$JVM_POLLERS" -gt 0 ]; then
cat <<EOF
| baseline: $JVM_POLLERS JVM processes (sum) | $j_secs | $(calc %.1f "$j_ticks / $hz") | $(pct_core "$j_ticks" "$j_secs") | $(pct_machine "$j_ticks" "$j_secs") | $(calc %.2f "$j_ticks / $hz * 1000 / ($(Lj polls) > 0 ? $(Lj polls) : 1)") |
| simulator, JVM window | $j_secs | $(calc %.1f "$j_sim_ticks / $hz") | $(pct_core "$j_sim_ticks" "$j_secs") | $(pct_machine "$j_sim_ticks" "$j_secs") | - |
EOF
fi
cat <<EOF

Samples during the window (every ${SAMPLE_SECS} s; polls_total from /metrics):

| $(head -n1 "$samples" | sed 's/\t/ | /g') |
| $(head -n1 "$samples" | awk -F'\t' '{for (i = 1; i <= NF; i++) printf "---:%s", (i < NF ? " | " : "")}') |
$(tail -n +2 "$samples" | sed 's/\t/ | /g; s/^/| /; s/$/ |/')

## 5. Per login: daemon vs one process per login (baseline extrapolated)

| | per login | for $LOGINS logins |
| --- | ---: | ---: |
| daemon: live heap | $(calc %.2f "$heap_per / 1024") KiB | $(calc %.1f "($heap_pend - $heap_prov) / 1048576") MiB (measured) |
| daemon: RSS | $rss_per KiB | $(calc %.1f "($rss_pend - $rss_prov) / 1024") MiB above the baseline; $(mib "$rss_pend") MiB total (measured) |
| daemon: CPU | $(calc %.3f "$d_ticks / $hz / $win_s * 100 / $LOGINS * 1000") m% of a core | $(pct_core "$d_ticks" "$win_s") % of a core (measured) |
| node process: RSS | $(calc %.1f "$n_rss / $NODE_POLLERS / 1024") MiB | $(calc %.1f "$n_rss / $NODE_POLLERS * $LOGINS / 1048576") GiB (extrapolated from $NODE_POLLERS) |
| node process: PSS | $(calc %.1f "$n_pss / $NODE_POLLERS / 1024") MiB | $(calc %.1f "$n_pss / $NODE_POLLERS * $LOGINS / 1048576") GiB (extrapolated from $NODE_POLLERS) |
| node process: CPU | $(calc %.3f "$n_ticks / $hz / $n_secs * 100 / $NODE_POLLERS * 1000") m% of a core | $(calc %.0f "$n_ticks / $hz / $n_secs * 100 / $NODE_POLLERS * $LOGINS") % of a core (extrapolated) |
EOF
if [ "$JVM_POLLERS" -gt 0 ]; then
cat <<EOF
| JVM process: RSS | $(calc %.1f "$j_rss / $JVM_POLLERS / 1024") MiB | $(calc %.1f "$j_rss / $JVM_POLLERS * $LOGINS / 1048576") GiB (extrapolated from $JVM_POLLERS) |
| JVM process: PSS | $(calc %.1f "$j_pss / $JVM_POLLERS / 1024") MiB | $(calc %.1f "$j_pss / $JVM_POLLERS * $LOGINS / 1048576") GiB (extrapolated from $JVM_POLLERS) |
| JVM process: CPU | $(calc %.3f "$j_ticks / $hz / $j_secs * 100 / $JVM_POLLERS * 1000") m% of a core | $(calc %.0f "$j_ticks / $hz / $j_secs * 100 / $JVM_POLLERS * $LOGINS") % of a core (extrapolated) |
EOF
fi
cat <<EOF

Daemon exit status on SIGTERM: $daemon_rc (expected 0).
EOF
[ "$NMT" = 1 ] && { echo; echo "Native Memory Tracking, pending vs baseline (\`VM.native_memory summary.diff\`):"; echo; sed -n '/^Total/,/^$/p;/^-  *\(Java Heap\|Class\|Thread\|Code\|GC\|Compiler\|Internal\|Other\|Symbol\|Native Memory Tracking\|Arena Chunk\|Metaspace\|Shared class space\|Module\|Synchronizer\|Serviceability\|Metadata\|String Deduplication\|Object Monitors\|Safepoint\|Arguments\|Logging\|Tracing\)/p' "$work/nmt-diff.txt" | grep -E '^(Total|-)' | sed 's/^/    /'; }
log "done"
