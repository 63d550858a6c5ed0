#!/usr/bin/env bash
# Threads of one daemon while LOGINS device logins poll and after they end: all threads, the scheduler pool's
# (db-scheduler's default pool "db-scheduler-pool-*" before, "authrelay-scheduler-*" since ElasticExecutor), and
# VmRSS. The simulator's codes live 45 s, so the logins end by themselves about a minute in.
#
#   bench/scheduler-threads.sh [CHECKOUT] [LOGINS] > /tmp/threads.txt     # CHECKOUT: a built checkout (default: this one), LOGINS: 400
#
# Needs: curl, a JDK >= 21 (found like bin/authrelay does), dist/ built in CHECKOUT. ~2.5 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
co=$(cd "${1:-$root}" && pwd)
n=${2:-400}
. bench/lib.sh
require_tools curl ss
w=$work
mkdir -p "$w/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp "$co/dist/lib/*" -d "$w/classes" bench/pending-logins/Bench.java bench/pending-logins/Poller.java
sp=$(free_port); dp=$(free_port)
"$co/bin/authrelay" dev provider-sim --listen "127.0.0.1:$sp" --flavor github --interval 5 --code-lifetime 45 \
    --token-lifetime 0 >"$w/sim.out" 2>"$w/sim.log" &
pids+=($!)
mkdir -m 700 "$w/home"
"$co/bin/authrelay" server --home "$w/home" --listen "127.0.0.1:$dp" 2>"$w/server.log" &
d=$!; pids+=("$d")   # the launcher execs java: this is the JVM
for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$dp/readyz" && curl -sf -o /dev/null "http://127.0.0.1:$sp/sim/grants" && break
    sleep 0.3
done
count() {
    local all=0 pool=0 t c
    for t in /proc/$d/task/*; do
        c=$(cat "$t/comm" 2>/dev/null || true); all=$((all + 1))
        case "$c" in db-scheduler-po*|authrelay-sched*) pool=$((pool + 1)) ;; esac
    done
    echo "threads $all, scheduler pool $pool, RSS $(rss_kb "$d") KiB"
}
bench() { "$java" -cp "$w/classes:$co/dist/lib/*" Bench "$@" >/dev/null; }
echo "checkout $co, $n logins"
echo "idle after ready: $(count)"
bench create providers "http://127.0.0.1:$dp" "$w/home/admin.token" "http://127.0.0.1:$sp" "$n" 4 p
bench create logins "http://127.0.0.1:$dp" "$w/home/admin.token" "http://127.0.0.1:$sp" "$n" 4 p
echo "logins started: $(count)"
sleep 20; echo "polling, +20 s: $(count)"
polls() {
    curl -s -m 5 -H "Authorization: Bearer $(cat "$w/home/admin.token")" "http://127.0.0.1:$dp/metrics" |
        awk '/^authrelay_login_polls_total/ {s += $2} END {printf "%d", s}'
}
echo "polls so far (authrelay_login_polls_total): $(polls)"
sleep 60; echo "codes expired, +80 s: $(count); polls $(polls)"
sleep 40; echo "+120 s: $(count)"
