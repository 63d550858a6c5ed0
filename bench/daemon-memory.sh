#!/usr/bin/env bash
# Daemon memory: VmRSS and thread count of `authrelay server` (the launcher execs java, so the PID started is the
# JVM) after /readyz + IDLE_SECS idle, then again after TRAFFIC_SECS of vends (wrk) + IDLE_SECS idle, and the launch
# to /readyz time. Same-run baseline: a trivial JVM that only sleeps, started with the JVM options the first variant's
# daemon runs with (read from its /proc/PID/cmdline), read at the same moments. Variants are interleaved round by
# round, so load from elsewhere hits every row alike; each row's ratio is to the first variant of the same run.
# Markdown on stdout, progress on stderr.
#
#   bench/daemon-memory.sh > /tmp/memory.md
#   VARIANTS="before||/tmp/old-clone;now|" bench/daemon-memory.sh        # a built checkout vs this one
#   VARIANTS="now|;no-cap|-Xmx2g -Xms378m" ROUNDS=1 bench/daemon-memory.sh
#
# Knobs (environment): ROUNDS (3), IDLE_SECS (10), TRAFFIC_SECS (10 of wrk -t2 -c16 against POST /v1/vend),
# VARIANTS: ';'-separated NAME|EXTRA_JVM_OPTIONS[|CHECKOUT] daemons; EXTRA_JVM_OPTIONS go in AUTHRELAY_JAVA_OPTS
# (after the launcher's own, so they override them) and CHECKOUT runs bin/authrelay of another built checkout.
# Default: "launcher|" (this checkout as bin/authrelay starts it). Needs: wrk, curl, ss, bash 5, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/lib.sh

ROUNDS=${ROUNDS:-3}
IDLE_SECS=${IDLE_SECS:-10}
TRAFFIC_SECS=${TRAFFIC_SECS:-10}
VARIANTS=${VARIANTS:-launcher|}
require_tools wrk curl ss awk

threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
median() { sort -n | awk '{v[NR]=$1} END {printf "%s", NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

mkdir -p "$work/classes"
cat >"$work/Idle.java" <<'EOF'
public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(Long.parseLong(a[0]) * 1000); } }
EOF
"$JAVA_HOME/bin/javac" -d "$work/classes" "$work/Idle.java"

# JVM options of a running java (everything between the executable and -cp/the main class).
jvm_options_of() {
    tr '\0' '\n' <"/proc/$1/cmdline" | awk 'NR == 1 {next} $0 == "-cp" || $0 == "-classpath" || $0 !~ /^-/ {exit} {print}'
}

IFS=';' read -r -a variants <<<"$VARIANTS"
: >"$work/results"
baseline_pid=
for round in $(seq 1 "$ROUNDS"); do
    for v in "${variants[@]}"; do
        IFS='|' read -r name opts checkout <<<"$v"
        log "round $round/$ROUNDS: $name (${opts:-launcher flags}${checkout:+, from $checkout})"
        t0=$(now_ms)
        DAEMON_ROOT=${checkout:-} start_daemon "$name-$round" $opts
        pid=$daemon_pid
        # Launch to ready, from the daemon's log-independent clock: start_daemon polls /readyz every 50 ms, then seeds.
        ready_ms=$(( $(now_ms) - t0 ))
        case "$(tr '\0' ' ' <"/proc/$pid/cmdline")" in *java*) ;; *) die "PID $pid is not the JVM";; esac
        if [ -z "$baseline_pid" ]; then
            mapfile -t base_opts < <(jvm_options_of "$pid")
            "$java" "${base_opts[@]}" -cp "$work/classes" Idle 86400 &
            baseline_pid=$!; pids+=("$baseline_pid")
            log "baseline: trivial sleeping JVM with ${base_opts[*]}"
            sleep 2
        fi
        sleep "$IDLE_SECS"
        idle_rss=$(rss_kb "$pid"); idle_threads=$(threads_of "$pid"); base_idle=$(rss_kb "$baseline_pid")
        AUTHRELAY_TOKEN=$ws_token wrk -t2 -c16 -d"${TRAFFIC_SECS}s" -s bench/vend/vend-json.lua "$daemon_url/v1/vend" \
            >"$work/wrk-$name-$round.txt" 2>&1 || die "wrk failed"
        rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk-$name-$round.txt")
        peak_threads=$(threads_of "$pid")
        sleep "$IDLE_SECS"
        busy_rss=$(rss_kb "$pid"); busy_threads=$(threads_of "$pid")
        echo "$name $idle_rss $idle_threads $busy_rss $busy_threads $peak_threads $ready_ms $rps $base_idle" >>"$work/results"
        kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    done
done
base_opts_text="${base_opts[*]}"

first=${variants[0]%%|*}
base=$(awk '{print $9}' "$work/results" | median)
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$work/results" | median; }
cat <<EOF
## Daemon memory (bench/daemon-memory.sh)

$(machine_lines)
- rounds: $ROUNDS, interleaved; idle: ${IDLE_SECS}s; traffic: ${TRAFFIC_SECS}s of \`wrk -t2 -c16\` POST /v1/vend
- baseline: a trivial JVM that only sleeps, with \`${base_opts_text}\`: median $(mib "$base") MiB

Medians over the rounds; RSS is VmRSS of the daemon's JVM. Ratios: to the sleeping JVM, and to the first row ($first).

| variant | JVM options added | ready ms | RSS idle MiB | vs trivial JVM | vs $first | threads idle | vends/s | threads right after | RSS after traffic + idle MiB | vs $first | threads then |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
first_idle=$(col "$first" 2); first_busy=$(col "$first" 4)
for v in "${variants[@]}"; do
    IFS='|' read -r name opts checkout <<<"$v"
    idle=$(col "$name" 2); busy=$(col "$name" 4)
    printf '| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "${checkout:+ ($checkout)}" \
        "\`${opts:-none}\`" "$(col "$name" 7)" "$(mib "$idle")" "$(ratio "$idle" "$base")" "$(ratio "$idle" "$first_idle")" \
        "$(col "$name" 3)" "$(col "$name" 8)" "$(col "$name" 6)" "$(mib "$busy")" "$(ratio "$busy" "$first_busy")" "$(col "$name" 5)"
done
echo
echo "Every round (name, RSS idle KiB, threads idle, RSS after KiB, threads after, threads right after traffic, ready ms, vends/s, baseline KiB):"
echo
echo '```'
cat "$work/results"
echo '```'
