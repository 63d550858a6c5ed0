#!/usr/bin/env bash
# What an AI-CLI login costs the broker itself, with a fake CLI (bash) that prints its URL at once, stamped with
# the wall-clock time of the print ($EPOCHREALTIME), then waits on stdin. The CLI's own start-up is never timed.
# Prints a markdown summary on stdout, progress on stderr.
#
#   bench/cli-login.sh > /tmp/cli-login.md          # ~7 minutes
#
# 1. Latency, for a PTY driver and a pipe driver (two drivers in providers.yaml, the same script): from the print
#    to the first GET /v1/logins/{id} that shows verification_uri (its receipt), LOGINS logins one at a time and
#    again CONCURRENCY at a time (each worker polls every POLL_MS, or CONCURRENT_POLL_MS when CONCURRENCY run at
#    once, then cancels its login). The session's updated_at (the daemon's clock as it is about to write the URL)
#    splits the time in two. Baseline in the same
#    run: the same script under a bare reader in a JVM (pty4j, or ProcessBuilder pipes), print to bytes read.
# 2. Memory, per mode: HOLD_COUNTS (cumulative) logins held open at once (each a run waiting for input); the
#    daemon's live heap (jcmd GC.class_histogram, a full GC), threads, VmRSS and Native Memory Tracking (summary)
#    before, while holding, and after cancelling them; per run = (holding - before) / runs. The daemon's threads
#    are listed by name (digits folded) while holding and after the cancel.
#
# Knobs (environment): LOGINS (200), CONCURRENCY (20), WARMUP (20 uncounted runs in each measuring JVM), POLL_MS (2),
# CONCURRENT_POLL_MS (20: twenty clients polling every 2 ms are a load of their own), HOLD_COUNTS ("50 200"),
# MODES ("pty pipe"), SANDBOX (the daemon's --sandbox: auto), READY_TIMEOUT (60 s), JFR (1: record the daemon with
# JFR's profile settings during the latency part into WORK/daemon.jfr and keep the work dir).
# Needs: curl, ss, bash 5, a JDK with jcmd (found like bin/authrelay does).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

LOGINS=${LOGINS:-200}
CONCURRENCY=${CONCURRENCY:-20}
WARMUP=${WARMUP:-20}
POLL_MS=${POLL_MS:-2}
CONCURRENT_POLL_MS=${CONCURRENT_POLL_MS:-20}
HOLD_COUNTS=${HOLD_COUNTS:-"50 200"}
MODES=${MODES:-"pty pipe"}
SANDBOX=${SANDBOX:-auto}
JFR=${JFR:-0}
jfr_opts=()
[ "$JFR" = 1 ] && { KEEP_WORK=1; jfr_opts=(-XX:StartFlightRecording=name=bench,settings=profile); }

. bench/lib.sh
require_tools curl ss
jcmd="$JAVA_HOME/bin/jcmd"

mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp "$root/dist/lib/*" -d "$work/classes" bench/cli-login/CliLoginBench.java
bench() {
    "$java" "${jvm_flags[@]}" --enable-native-access=ALL-UNNAMED -Dwarmup="$WARMUP" -Dpty4j.tmpdir="$work/native" \
        -cp "$work/classes:$root/dist/lib/*" CliLoginBench "$@"
}

fake_cli="$root/bench/cli-login/fake-cli"

driver_yaml() {   # type pty(true|false)
    cat <<EOF
  $1:
    host: $1.bench.test
    command: $fake_cli
    default_mode: print
    modes:
      print:
        args: [login]
        pty: $2
        input: none
        patterns:
          url: '(https://vendor\.test/\S+)'
        timeout: 1h
    capture:
      oauth:
        file: .bench/creds.json
        access_token: /access
EOF
}
{ echo "drivers:"; driver_yaml bench-pty true; driver_yaml bench-pipe false; } >"$work/providers.yaml"

holds_max=$(tr ' ' '\n' <<<"$HOLD_COUNTS" | sort -n | tail -1)
providers_per_mode=$(( holds_max > CONCURRENCY ? holds_max : CONCURRENCY ))
DAEMON_PROVIDERS_YAML="$work/providers.yaml" DAEMON_SERVER_ARGS="--sandbox $SANDBOX" \
    start_daemon cli -XX:NativeMemoryTracking=summary "${jfr_opts[@]}"
token="$daemon_home/admin.token"
sandboxing=$(grep -m1 -o 'CLI runs: .*' "$work/daemon-cli.log" || echo 'CLI runs: (not logged)')
log "$sandboxing"
for mode in $MODES; do
    log "adding $providers_per_mode providers of driver bench-$mode"
    bench providers "$daemon_url" "$token" "bench-$mode" "$mode" "$providers_per_mode" >/dev/null
done

value() { sed -n "s/^$1=//p" "$2"; }   # key file
# ------------------------------------------------------------------------------------------------ 1. latency
latency_rows=()
latency_row() {   # label file column baseline_file(or -)
    local p50 p99 ratio50=- ratio99=-
    p50=$(value "$3_p50_ms" "$2"); p99=$(value "$3_p99_ms" "$2")
    if [ "$4" != - ]; then
        ratio50=$(awk -v a="$p50" -v b="$(value print_to_read_p50_ms "$4")" 'BEGIN {printf "%.1f", a / b}')
        ratio99=$(awk -v a="$p99" -v b="$(value print_to_read_p99_ms "$4")" 'BEGIN {printf "%.1f", a / b}')
    fi
    latency_rows+=("| $1 | $(value n "$2") | $(value failed "$2") | $p50 | $p99 | $(value "$3_max_ms" "$2") | $ratio50 | $ratio99 |")
}
for mode in $MODES; do
    for c in 1 "$CONCURRENCY"; do
        poll=$POLL_MS; [ "$c" = 1 ] || poll=$CONCURRENT_POLL_MS
        log "$mode: baseline, $LOGINS runs, $c at a time"
        bench baseline "$mode" "$fake_cli" "$LOGINS" "$c" >"$work/base-$mode-$c.txt"
        log "$mode: broker, $LOGINS logins, $c at a time"
        bench latency "$daemon_url" "$token" "$mode" "$LOGINS" "$c" "$poll" >"$work/broker-$mode-$c.txt"
        latency_row "baseline: bare $mode reader, print to bytes read ($c at a time)" "$work/base-$mode-$c.txt" print_to_read -
        latency_row "**broker, $mode: print to URL in GET /v1/logins/{id}** ($c at a time, polled every $poll ms)" "$work/broker-$mode-$c.txt" print_to_visible "$work/base-$mode-$c.txt"
        latency_row "(broker, $mode: print to the capture's updated_at, before its write) ($c at a time)" "$work/broker-$mode-$c.txt" print_to_capture "$work/base-$mode-$c.txt"
        latency_row "(broker, $mode: round trip of that GET alone) ($c at a time)" "$work/broker-$mode-$c.txt" get_round_trip -
    done
done

[ "$JFR" = 1 ] && "$jcmd" "$daemon_pid" JFR.dump name=bench filename="$work/daemon.jfr" >/dev/null

# ------------------------------------------------------------------------------------------------- 2. memory
live_heap() { "$jcmd" "$daemon_pid" GC.class_histogram | awk '/^Total/ {print $3}'; }   # bytes, after a full GC
threads() { awk '/^Threads:/ {print $2}' "/proc/$daemon_pid/status"; }
thread_names() {   # label: the daemon's threads by name, digits folded, most frequent first
    { echo "$1:"; "$jcmd" "$daemon_pid" Thread.print | sed -n 's/^"\([^"]*\)".*/\1/p' | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c \
        | sort -rn | awk "NR <= 6"; } >>"$work/thread-names.txt"
}
# NMT summary: total committed and the Thread category's committed and stack committed, in KB.
nmt() {
    "$jcmd" "$daemon_pid" VM.native_memory summary scale=KB | awk '
        /^Total:/ {match($0, /committed=[0-9]+/); total = substr($0, RSTART + 10, RLENGTH - 10)}
        /- +Thread \(/ {match($0, /committed=[0-9]+/); thread = substr($0, RSTART + 10, RLENGTH - 10); in_thread = 1; next}
        in_thread && /stack:/ {match($0, /committed=[0-9]+/); stack = substr($0, RSTART + 10, RLENGTH - 10); in_thread = 0}
        END {print total, thread, stack}'
}
snapshot() {   # label: one line "label heap_bytes threads rss_kb nmt_total_kb nmt_thread_kb nmt_stack_kb"
    sleep 2
    echo "$1 $(live_heap) $(threads) $(rss_kb "$daemon_pid") $(nmt)"
}
memory_rows=()
per_run_rows=()
for mode in $MODES; do
    before=$(snapshot "$mode-before"); log "$mode: before: $before"
    memory_rows+=("$before")
    : >"$work/held-$mode.txt"
    held=0
    for n in $HOLD_COUNTS; do
        log "$mode: holding $n runs"
        bench hold "$daemon_url" "$token" "$mode" $((held + 1)) "$n" >>"$work/held-$mode.txt"
        held=$n
        clis=$(pgrep -c -f "^/bin/bash $fake_cli" || true)
        now=$(snapshot "$mode-holding-$n"); log "$mode: holding $n (fake CLI processes: $clis): $now"
        memory_rows+=("$now")
        thread_names "$mode holding $n"
        read -r _ h0 t0 r0 n0 th0 s0 <<<"$before"
        read -r _ h1 t1 r1 n1 th1 s1 <<<"$now"
        per_run_rows+=("$(awk -v m="$mode" -v n="$n" -v c="$clis" -v h="$((h1 - h0))" -v t="$((t1 - t0))" -v r="$((r1 - r0))" \
            -v nt="$((n1 - n0))" -v th="$((th1 - th0))" -v s="$((s1 - s0))" 'BEGIN {
            printf "| %s | %d | %d | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |", m, n, c, h / n / 1024, t / n, r / n, nt / n, th / n, s / n}')")
    done
    log "$mode: cancelling $held runs"
    bench cancel "$daemon_url" "$token" "$work/held-$mode.txt"
    sleep 3
    after=$(snapshot "$mode-after-cancel"); log "$mode: after cancel: $after"
    memory_rows+=("$after")
    thread_names "$mode after the cancel (+5 s)"
done

# ------------------------------------------------------------------------------------------------- summary
cat <<EOF
## AI-CLI logins: broker overhead (bench/cli-login.sh)

$(machine_lines)
- daemon: \`bin/authrelay server --sandbox $SANDBOX\` + \`-XX:NativeMemoryTracking=summary\`; $sandboxing
- knobs: LOGINS=$LOGINS CONCURRENCY=$CONCURRENCY WARMUP=$WARMUP POLL_MS=$POLL_MS CONCURRENT_POLL_MS=$CONCURRENT_POLL_MS HOLD_COUNTS="$HOLD_COUNTS" MODES="$MODES"

### 1. Print to URL visible

| what | n | failed | p50 ms | p99 ms | max ms | p50 vs baseline | p99 vs baseline |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(printf '%s\n' "${latency_rows[@]}")

### 2. Memory per held run

Snapshots (live heap bytes after a full GC, threads, VmRSS KB, NMT committed KB: total, Thread, of which stacks):

\`\`\`
$(printf '%s\n' "${memory_rows[@]}")
\`\`\`

| mode | runs held | fake CLI processes seen | live heap KiB/run | threads/run | RSS KiB/run | NMT committed KiB/run | NMT Thread KiB/run | of which stack KiB/run |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(printf '%s\n' "${per_run_rows[@]}")

The daemon's threads by name (digits folded to N), top 6:

\`\`\`
$(cat "$work/thread-names.txt")
\`\`\`
EOF
