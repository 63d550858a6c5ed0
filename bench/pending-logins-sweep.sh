#!/usr/bin/env bash
# The largest number of pending device-flow logins one daemon polls on time (p99 lateness <= 1 s), with the
# simulator's own CPU share: bench/pending-logins.sh once per LOGINS value and variant, variants interleaved within
# each step so that a baseline (e.g. main) and this checkout see the same machine. Prints a markdown table on stdout.
#
#   bench/pending-logins-sweep.sh > /tmp/sweep.md                                   # this checkout, 2,000-12,000
#   VARIANTS="before||/tmp/before-poll;now|" SWEEP="5000 10000" bench/pending-logins-sweep.sh
#
# Knobs (environment): SWEEP (LOGINS values, "2000 5000 8000 10000 12000"), VARIANTS (';'-separated
# NAME|EXTRA_JVM_OPTIONS|CHECKOUT, a built checkout or empty for this one; "now|"), ROUNDS (1), SETTLE_SECS (30),
# WINDOW_SECS (90), TARGET_P99_MS (1000), OUT_DIR (where each run's full report is kept; a new temporary dir).
# The per-process baseline of pending-logins.sh is cut to one Node poller for a few seconds (NODE_POLLERS=1,
# JVM_POLLERS=0): the sweep is about the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
SWEEP=${SWEEP:-2000 5000 8000 10000 12000}
VARIANTS=${VARIANTS:-now|}
ROUNDS=${ROUNDS:-1}
TARGET_P99_MS=${TARGET_P99_MS:-1000}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/pending-sweep.XXXXXX")}
export SETTLE_SECS=${SETTLE_SECS:-30} WINDOW_SECS=${WINDOW_SECS:-90}
mkdir -p "$OUT_DIR"
IFS=';' read -r -a variants <<<"$VARIANTS"
log() { echo "sweep: $(date -u +%H:%M:%S) $*" >&2; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

for logins in $SWEEP; do
    for round in $(seq 1 "$ROUNDS"); do
        for v in "${variants[@]}"; do
            IFS='|' read -r name opts checkout <<<"$v"
            tag="$name-$logins-$round"
            log "$tag: LOGINS=$logins ${checkout:+DAEMON_ROOT=$checkout }${opts:+DAEMON_JAVA_OPTS='$opts'}"
            LOGINS=$logins DAEMON_ROOT="$checkout" DAEMON_JAVA_OPTS="$opts" RESULT_FILE="$OUT_DIR/$tag.result" \
                NODE_POLLERS=1 JVM_POLLERS=0 BASELINE_SETTLE_SECS=2 BASELINE_WINDOW_SECS=13 \
                bench/pending-logins.sh >"$OUT_DIR/$tag.md" 2>"$OUT_DIR/$tag.log" \
                || { log "$tag failed (see $OUT_DIR/$tag.log)"; continue; }
            log "  $(tr '\n' ' ' <"$OUT_DIR/$tag.result")"
        done
    done
done

R() { sed -n "s/^$2=//p" "$1"; }
cat <<EOF
## Pending logins sweep

- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD); $(nproc) CPUs; load average at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)
- knobs: SWEEP="$SWEEP" VARIANTS="$VARIANTS" ROUNDS=$ROUNDS SETTLE_SECS=$SETTLE_SECS WINDOW_SECS=$WINDOW_SECS; reports in $OUT_DIR
- lateness = gap between two polls of one code at the simulator minus 6,000 ms (interval 5 s + padding); CPU in % of one core over the window

| variant | pending | round | polls/s (needed) | p50 ms | p99 ms | max ms | slow_down | daemon CPU % | CPU ms/poll | simulator CPU % (of the machine) | others CPU % | RSS max MiB | WAL max MiB | heartbeat age max s | load (window) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
EOF
for v in "${variants[@]}"; do
    name=${v%%|*}
    for logins in $SWEEP; do
        for round in $(seq 1 "$ROUNDS"); do
            f="$OUT_DIR/$name-$logins-$round.result"
            [ -f "$f" ] || { echo "| $name | $logins | $round | failed | | | | | | | | | | | | |"; continue; }
            echo "| $name | $logins | $round | $(R "$f" polls_per_s) ($(R "$f" needed_per_s)) | $(R "$f" p50_ms) | **$(R "$f" p99_ms)** | $(R "$f" max_ms) | $(R "$f" slow_down) | $(R "$f" daemon_cpu_pct_core) | $(R "$f" daemon_cpu_ms_per_poll) | $(R "$f" sim_cpu_pct_core) ($(R "$f" sim_cpu_pct_machine)) | $(R "$f" other_cpu_pct_core) | $(R "$f" rss_max_mib) | $(R "$f" wal_max_mib) | $(R "$f" heartbeat_age_max_s) | $(R "$f" load_window) |"
        done
    done
done
echo
base=${variants[0]%%|*}
for v in "${variants[@]}"; do
    name=${v%%|*} best=none
    for logins in $SWEEP; do
        ok=1
        for round in $(seq 1 "$ROUNDS"); do
            f="$OUT_DIR/$name-$logins-$round.result"
            [ -f "$f" ] && [ "$(R "$f" p99_ms | cut -d. -f1)" -le "$TARGET_P99_MS" ] || ok=0
        done
        [ "$ok" = 1 ] && best=$logins
    done
    echo "- **$name: largest pending count with p99 <= ${TARGET_P99_MS} ms in every round: $best**"
done
if [ "${#variants[@]}" -gt 1 ]; then
    echo
    echo "p99 ratio to the baseline \`$base\` (same step, round 1; < 1 is better):"
    echo
    for logins in $SWEEP; do
        b="$OUT_DIR/$base-$logins-1.result"
        [ -f "$b" ] || continue
        line="- $logins pending: $base p99 $(R "$b" p99_ms) ms"
        for v in "${variants[@]:1}"; do
            name=${v%%|*} f="$OUT_DIR/${v%%|*}-$logins-1.result"
            [ -f "$f" ] && line="$line; $name $(R "$f" p99_ms) ms ($(awk -v a="$(R "$f" p99_ms)" -v b="$(R "$b" p99_ms)" 'BEGIN {printf "%.2fx", (b > 0 ? a / b : 0)}'))"
        done
        echo "$line"
    done
fi
