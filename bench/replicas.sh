#!/usr/bin/env bash
# Replicas on one PostgreSQL (issue 12), each part against a baseline measured in the same run. Markdown on stdout,
# progress on stderr.
#
#   bench/replicas.sh > /tmp/replicas.md                       # full size: ~20 minutes on 2 CPUs
#   PARTS="vend" ROUNDS=1 DURATION=10 bench/replicas.sh         # a quick look at one part
#
# Parts (PARTS, default "failover storm vend logins"):
#   failover  FailoverTest at FAILOVER_LOGINS (500) pending logins: two real replicas on one PostgreSQL, polls held
#             3 s at the simulator, one replica SIGKILLed, every login approved; failover time (kill to the survivor's
#             first poll of a login the dead replica was polling), logins connected, tokens per login, interval
#             violations. Runs the test through Maven (its own embedded PostgreSQL).
#   storm     RefreshStormTest at STORM_CREDENTIALS (1000) credentials whose first tokens live STORM_LIFETIME (120) s:
#             refresh grants per credential at the simulator with both replicas running.
#   vend      wrk against POST /v1/vend (JSON): SQLite with one daemon (the baseline), PostgreSQL with one replica,
#             PostgreSQL with two replicas (one wrk per replica at once, the threads and connections split between
#             them); ROUNDS interleaved rounds of DURATION s after WARMUP s per daemon.
#   logins    two replicas on a fresh database with LOGIN_STEPS pending logins per replica (interval 5 s), each step
#             settled SETTLE_SECS then watched WINDOW_SECS: p50/p99 poll lateness at the simulator; the answer is the
#             largest step whose p99 lateness is <= 1 s. Then the same steps on one daemon on SQLite (the baseline).
# PostgreSQL for vend and logins: Debian's server (PG_BIN, default /usr/lib/postgresql/15/bin), a private cluster in
# the work dir run as the `postgres` user on a loopback port, fsync on, scram-sha-256 password for the daemons.
# Knobs: the sizes above, THREADS (2), CONNECTIONS (32), DURATION (20), WARMUP (15), ROUNDS (3), LOGIN_STEPS
# ("250 500 1000 2000"), SETTLE_SECS (20), WINDOW_SECS (60), CREATE_CONCURRENCY (4), READY_TIMEOUT (90 s).
# Needs: wrk (apt-get install -y wrk), postgresql (Debian), curl, ss, runuser, setpriv, bash 5, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
umask 077
READY_TIMEOUT=${READY_TIMEOUT:-90}
BENCH_WORK_MODE=711   # the postgres user enters its own data directory below the work dir, and nothing else
. bench/lib.sh

PARTS=${PARTS:-failover storm vend logins}
FAILOVER_LOGINS=${FAILOVER_LOGINS:-500}
STORM_CREDENTIALS=${STORM_CREDENTIALS:-1000}
STORM_LIFETIME=${STORM_LIFETIME:-120}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
ROUNDS=${ROUNDS:-3}
LOGIN_STEPS=${LOGIN_STEPS:-250 500 1000 2000}
SETTLE_SECS=${SETTLE_SECS:-20}
WINDOW_SECS=${WINDOW_SECS:-60}
CREATE_CONCURRENCY=${CREATE_CONCURRENCY:-4}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
LOGIN_INTERVAL=5
EXPECTED_GAP_MS=$(( LOGIN_INTERVAL * 1000 + 1000 ))   # the daemon's padded interval, as bench/pending-logins.sh
require_tools curl wrk awk ss runuser setpriv
has_part() { [[ " $PARTS " == *" $1 "* ]]; }
report="$work/report.txt"; : >"$report"
field() { sed -n "s/.*[ :]$2=\([^ ]*\).*/\1/p" <<<"$1"; }   # field LINE NAME: NAME=VALUE out of a report line

# ---------------------------------------------------------------- failover and refresh storm: the tests, larger
run_test() {   # CLASS -DPROPERTY=VALUE...: one test class through Maven; its report line lands in $report
    local class=$1; shift
    log "$class ($*) through Maven"
    (cd "$root" && ./mvnw -q -B -o -pl authrelay-cli -am verify -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
        -Dauthrelay.bench.report="$report" "$@") >"$work/mvn-$class.log" 2>&1 \
        || { tail -n 60 "$work/mvn-$class.log" >&2; die "$class failed (log: $work/mvn-$class.log)"; }
}
if has_part failover; then
    run_test FailoverTest -Dauthrelay.failover.logins="$FAILOVER_LOGINS"
    failover=$(grep '^failover:' "$report" | tail -n 1); log "  $failover"
fi
if has_part storm; then
    run_test RefreshStormTest -Dauthrelay.storm.credentials="$STORM_CREDENTIALS" -Dauthrelay.storm.lifetime="$STORM_LIFETIME"
    storm=$(grep '^refresh-storm:' "$report" | tail -n 1); log "  $storm"
fi

# ---------------------------------------------------------------- PostgreSQL, as an operator runs it
if has_part vend || has_part logins; then
    [ -x "$PG_BIN/postgres" ] || die "no PostgreSQL server in $PG_BIN (Debian: apt-get install -y postgresql)"
    id postgres >/dev/null 2>&1 || die "no postgres user (Debian: apt-get install -y postgresql)"
    pg_data="$work/pg"; install -d -o postgres -g postgres -m 700 "$pg_data"
    pg_port=$(free_port)
    db_password="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$db_password" >"$work/db-password"
    as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
    printf '%s\n' "$db_password" >"$pg_data/pwfile"; chown postgres "$pg_data/pwfile"
    as_postgres "$PG_BIN/initdb" -D "$pg_data/data" -U postgres --pwfile="$pg_data/pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; die "initdb failed"; }
    # Not through as_postgres: a function in the background is a subshell, and $! must be the postmaster itself.
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$PG_BIN/postgres" -D "$pg_data/data" \
        -c listen_addresses=127.0.0.1 -p "$pg_port" -k "$pg_data" -c max_connections=200 >"$work/postgres.log" 2>&1 &
    pg_pid=$!; pids+=("$pg_pid")
    for _ in $(seq 1 100); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || { cat "$work/postgres.log" >&2; die "PostgreSQL did not start"; }
    psql_admin() { as_postgres "$PG_BIN/psql" -q -h "$pg_data" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 "$@"; }
    psql_admin <<<"CREATE ROLE authrelay LOGIN PASSWORD '$db_password'" >/dev/null   # on stdin: no password in argv
    pg_version=$("$PG_BIN/postgres" --version | awk '{print $3}')
    pg_pids() { echo "$pg_pid" $(pgrep -P "$pg_pid" || true); }   # the postmaster and its backends
    log "PostgreSQL $pg_version (pid $pg_pid) on 127.0.0.1:$pg_port"
    # An admin token made as the daemon makes one, for AUTHRELAY_ADMIN_TOKEN_FILE.
    printf 'class AdminToken { public static void main(String[] a) { System.out.print(io.authrelay.core.token.Tokens.generate(io.authrelay.core.token.Tokens.ADMIN_PREFIX)); } }\n' >"$work/AdminToken.java"
fi

# on_database NAME: a fresh database; the daemons started next run on it, as replicas of one deployment do (URL,
# password file, one keyset (the first replica makes it), one provisioned admin token).
on_database() {
    psql_admin -c "CREATE DATABASE $1 OWNER authrelay" >/dev/null
    export AUTHRELAY_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/$1?user=authrelay"
    export AUTHRELAY_DB_PASSWORD_FILE="$work/db-password"
    export AUTHRELAY_KEYSET="$work/keyset-$1.json"
    "$java" -cp "$root/dist/lib/*" "$work/AdminToken.java" >"$work/admin-token-$1"
    export AUTHRELAY_ADMIN_TOKEN_FILE="$work/admin-token-$1"
}
on_sqlite() { unset AUTHRELAY_DB_URL AUTHRELAY_DB_PASSWORD_FILE AUTHRELAY_KEYSET AUTHRELAY_ADMIN_TOKEN_FILE; }

# ---------------------------------------------------------------- vends per second
# wrk_at LABEL TOKEN "CPU_PIDS" URL...: one wrk per URL at once, THREADS and CONNECTIONS split between them; appends
# "label req/s p50_ms(first) p99_ms(worst) requests errors server_cpu_s" to $work/vend-results.
wrk_at() {
    local label=$1 token=$2 cpu_pids=$3; shift 3
    local n=$# i=0 url c0 c1 wpids=() outs=()
    local threads=$(( THREADS / n > 0 ? THREADS / n : 1 )) connections=$(( CONNECTIONS / n ))
    c0=$(cpu_seconds $cpu_pids)
    for url in "$@"; do
        i=$((i + 1)); outs+=("$work/wrk-$label-$round-$i.txt")
        AUTHRELAY_TOKEN=$token wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency -s bench/vend/vend-json.lua \
            "$url/v1/vend" >"${outs[-1]}" 2>&1 &
        wpids+=($!)
    done
    for i in "${wpids[@]}"; do wait "$i" || die "wrk failed (see $work/wrk-$label-$round-*.txt)"; done
    c1=$(cpu_seconds $cpu_pids)
    awk -v label="$label" -v cpu="$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}')" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^Requests\/sec:/ {rps += $2}
        $1 == "50%" && !p50 {p50 = ms($2)}
        $1 == "99%" {v = ms($2); if (v > p99) p99 = v}
        /requests in/ {reqs += $1}
        /Non-2xx or 3xx responses:/ {errs += $NF}
        /Socket errors:/ {gsub(/,/, ""); errs += $4 + $6 + $8 + $10}
        END {printf "%s %.2f %.2f %.2f %d %d %s\n", label, rps, p50, p99, reqs, errs, cpu}' "${outs[@]}" >>"$work/vend-results"
    log "  $(tail -n 1 "$work/vend-results")"
}
vend_ok() { curl -sf -m 10 -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d '{"protocol":"https","host":"github.com","path":"org/repo.git"}' "$1/v1/vend" | grep -q "\"password\":\"$bench_secret\""; }

if has_part vend; then
    on_sqlite
    start_daemon sqlite; sqlite_url=$daemon_url; sqlite_pid=$daemon_pid; sqlite_token=$ws_token
    on_database vend
    start_daemon pg-a; pga_url=$daemon_url; pga_pid=$daemon_pid; pg_token=$ws_token
    launch_daemon pg-b; pgb_url=$daemon_url; pgb_pid=$daemon_pid
    vend_ok "$pgb_url" "$pg_token" || die "replica pg-b does not vend what pg-a stored"
    log "replicas pg-a ($pga_url) and pg-b ($pgb_url) on one database; sqlite on $sqlite_url"
    for target in "$sqlite_url $sqlite_token" "$pga_url $pg_token" "$pgb_url $pg_token"; do
        read -r url token <<<"$target"
        log "warm-up: $url, ${WARMUP}s of wrk (JIT)"
        AUTHRELAY_TOKEN=$token wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/vend/vend-json.lua "$url/v1/vend" >/dev/null
    done
    : >"$work/vend-results"
    for round in $(seq 1 "$ROUNDS"); do
        log "round $round/$ROUNDS: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s in all (split over the replicas)"
        wrk_at sqlite-1 "$sqlite_token" "$sqlite_pid" "$sqlite_url"
        wrk_at postgresql-1 "$pg_token" "$pga_pid $(pg_pids)" "$pga_url"
        wrk_at postgresql-2 "$pg_token" "$pga_pid $pgb_pid $(pg_pids)" "$pga_url" "$pgb_url"
    done
    for url in "$sqlite_url" "$pga_url" "$pgb_url"; do
        token=$pg_token; [ "$url" = "$sqlite_url" ] && token=$sqlite_token
        vend_ok "$url" "$token" || die "$url no longer vends after the load"
    done
    kill -TERM "$sqlite_pid" "$pga_pid" "$pgb_pid"; wait "$sqlite_pid" "$pga_pid" "$pgb_pid" || true
fi

# ---------------------------------------------------------------- pending logins per replica at p99 lateness <= 1 s
# login_steps SETUP "NAME URL HOME PID"...: for each of LOGIN_STEPS, that many pending logins on each daemon (added
# through it), settled, then a window; appends "setup per_daemon codes polls/s p50 p99 max slow_down daemons_cpu%
# postgresql_cpu% simulator_cpu%" to $work/login-results. Stops after the first step whose p99 is over 1 s.
login_steps() {
    local setup=$1; shift
    local have=0 step_no=0 per_daemon add daemon name url home pid t0 t1 d0 d1 p0 p1 s0 s1 daemon_pids=()
    for daemon in "$@"; do read -r name url home pid <<<"$daemon"; daemon_pids+=("$pid"); done
    for per_daemon in $LOGIN_STEPS; do
        step_no=$((step_no + 1)); add=$((per_daemon - have))
        [ "$add" -gt 0 ] || continue
        log "$setup, step $step_no: $per_daemon pending logins per daemon (adding $add to each)"
        for daemon in "$@"; do
            read -r name url home pid <<<"$daemon"
            bench create providers "$url" "$home/admin.token" "$sim_url" "$add" "$CREATE_CONCURRENCY" "s$step_no$name-" >/dev/null
            bench create logins "$url" "$home/admin.token" "$sim_url" "$add" "$CREATE_CONCURRENCY" "s$step_no$name-" >"$work/created-$setup-$step_no-$name.txt"
            log "  $name: $(cat "$work/created-$setup-$step_no-$name.txt")"
        done
        have=$per_daemon
        sleep "$SETTLE_SECS"
        t0=$(now_ms); d0=$(cpu_seconds "${daemon_pids[@]}"); p0=$(cpu_seconds $(pg_pids)); s0=$(cpu_seconds "$sim_pid")
        sleep "$WINDOW_SECS"
        t1=$(now_ms); d1=$(cpu_seconds "${daemon_pids[@]}"); p1=$(cpu_seconds $(pg_pids)); s1=$(cpu_seconds "$sim_pid")
        local lateness="$work/lateness-$setup-$step_no.txt"
        bench lateness "$sim_url" "$t0" "$t1" "$EXPECTED_GAP_MS" - >"$lateness"
        L() { sed -n "s/^$1=//p" "$lateness"; }
        pct() { awk -v a="$1" -v b="$2" -v ms="$((t1 - t0))" 'BEGIN {printf "%.0f", (b - a) / ms * 100000}'; }
        echo "$setup $per_daemon $(L codes_polled) $(L polls_per_s) $(L p50) $(L p99) $(L max) $(L slow_down) $(pct "$d0" "$d1") $(pct "$p0" "$p1") $(pct "$s0" "$s1")" >>"$work/login-results"
        log "  $(tail -n 1 "$work/login-results")"
        [ "$(L p99)" -le 1000 ] || break
    done
}
if has_part logins; then
    mkdir -p "$work/classes"
    "$JAVA_HOME/bin/javac" -nowarn -cp "$root/dist/lib/*" -d "$work/classes" bench/pending-logins/Bench.java
    bench() { "$java" -cp "$work/classes:$root/dist/lib/*" Bench "$@"; }
    sim_port=$(free_port); sim_url="http://127.0.0.1:$sim_port"
    bin/authrelay dev provider-sim --listen "127.0.0.1:$sim_port" --flavor github --interval "$LOGIN_INTERVAL" \
        --code-lifetime 3600 --token-lifetime 0 >"$work/sim.out" 2>"$work/sim.log" &
    sim_pid=$!; pids+=("$sim_pid")
    for _ in $(seq 1 300); do curl -sf -o /dev/null "$sim_url/sim/grants" && break; sleep 0.1; done
    : >"$work/login-results"
    on_database logins
    launch_daemon login-a; replica_a="a $daemon_url $daemon_home $daemon_pid"
    launch_daemon login-b; replica_b="b $daemon_url $daemon_home $daemon_pid"
    login_steps two-replicas "$replica_a" "$replica_b"
    for daemon in "$replica_a" "$replica_b"; do read -r _ _ _ pid <<<"$daemon"; kill -TERM "$pid"; wait "$pid" || true; done
    # The same-run baseline: the same steps on one daemon on SQLite (its earlier codes are no longer polled).
    on_sqlite
    launch_daemon login-sqlite
    login_steps sqlite-one "s $daemon_url $daemon_home $daemon_pid"
    best=$(awk '$1 == "two-replicas" && $6 <= 1000 {b = $2} END {print b + 0}' "$work/login-results")
    best_sqlite=$(awk '$1 == "sqlite-one" && $6 <= 1000 {b = $2} END {print b + 0}' "$work/login-results")
fi

# ---------------------------------------------------------------- summary
cat <<EOF
## Run

$(machine_lines)
- parts: $PARTS$(has_part vend || has_part logins && echo "; PostgreSQL $pg_version (Debian), private cluster, fsync on, loopback TCP with scram-sha-256")
- every process (replicas, PostgreSQL, simulator, wrk, Maven's test JVM) shares the machine's $(nproc) CPUs
EOF
if has_part failover; then cat <<EOF

## Failover: $(field "$failover" logins) pending logins, one of two replicas SIGKILLed

FailoverTest with \`-Dauthrelay.failover.logins=$FAILOVER_LOGINS\`: GitHub flavour, interval 2 s, every token request
held 3 s at the simulator so that the kill finds polls in flight; the survivor does everything after the kill.

| measure | value |
| --- | ---: |
| failover time: kill to the survivor's first poll of a login the dead replica was polling | $(field "$failover" failover_ms) ms |
| polls the dead replica was running at the kill (scheduled_tasks.picked_by) | $(field "$failover" held_by_dead_at_kill) |
| logins connected through the survivor | $(field "$failover" connected) of $(field "$failover" logins) |
| kill to the last login seen connected | $(field "$failover" all_connected_after_kill_ms) ms |
| tokens per login (distinct counts at the simulator) | $(field "$failover" tokens_per_login) |
| device tokens issued by the simulator | $(field "$failover" device_tokens_issued) |
| polls closer than the interval / slow_down answers | $(field "$failover" interval_violations) / $(field "$failover" slow_downs) |
EOF
fi
if has_part storm; then cat <<EOF

## Refresh storm: $(field "$storm" credentials) credentials, both replicas running

RefreshStormTest with \`-Dauthrelay.storm.credentials=$STORM_CREDENTIALS -Dauthrelay.storm.lifetime=$STORM_LIFETIME\`:
OIDC flavour (rotating refresh tokens, reuse revokes the family), first tokens issued in one burst and due together,
a reader on each replica asking for every token meanwhile.

| measure | value |
| --- | ---: |
| refresh grants succeeded at the simulator | $(field "$storm" refresh_grants) (one per credential: $(field "$storm" credentials)) |
| refresh grants rejected / families revoked (reuse) | $(field "$storm" rejected) / $(field "$storm" families_revoked) |
| from the last first token to every credential refreshed | $(field "$storm" all_refreshed_after_first_issued_ms) ms |
EOF
fi
if has_part vend; then
    median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) {print 0; exit} m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f", m}'; }
    col() { awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$work/vend-results"; }
    base_rps=$(col sqlite-1 2 | median)
    cat <<EOF

## POST /v1/vend: SQLite on one daemon vs PostgreSQL with one and two replicas (median of $ROUNDS rounds)

wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}') with bench/vend/vend-json.lua, \`-t$THREADS -c$CONNECTIONS -d${DURATION}s\` in all: two replicas get one wrk each at
once with half the threads and connections; ${WARMUP}s JIT warm-up per daemon; rounds interleaved. While
postgresql-1 runs, the second replica is up and idle. CPU is the daemons' and PostgreSQL's (utime + stime).

| setup | req/s | vs SQLite | p50 ms | p99 ms (worst wrk) | CPU µs/request (daemons + PostgreSQL) | errors or non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
$(for l in sqlite-1 postgresql-1 postgresql-2; do
    rps=$(col "$l" 2 | median)
    echo "| $l | $rps | $(awk -v a="$rps" -v b="$base_rps" 'BEGIN {printf "%.2f", a / b}') | $(col "$l" 3 | median) | $(col "$l" 4 | median) | $(awk -v l="$l" '$1 == l {r += $5; c += $7} END {printf "%.1f", r ? c / r * 1e6 : 0}' "$work/vend-results") | $(awk -v l="$l" '$1 == l {n += $6} END {print n + 0}' "$work/vend-results") |"
done)

Every round (setup, req/s, p50 ms, p99 ms, requests, errors, server CPU s):

\`\`\`
$(cat "$work/vend-results")
\`\`\`
EOF
fi
if has_part logins; then cat <<EOF

## Pending logins per replica at p99 poll lateness <= 1 s (two replicas, one database)

GitHub flavour, interval ${LOGIN_INTERVAL} s; lateness = gap between two polls of one code at the simulator minus ${EXPECTED_GAP_MS} ms
(the interval plus the daemon's padding, as bench/pending-logins.sh), over a ${WINDOW_SECS} s window after ${SETTLE_SECS} s of settling.
CPU in % of one core over the window.

The same-run baseline is the same steps on one daemon on SQLite, after the replicas stopped.

| setup | pending per daemon | codes polled | polls/s | p50 ms | p99 ms | max ms | slow_down | daemons CPU % | PostgreSQL CPU % | simulator CPU % |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(awk '{printf "| %s |", $1; for (i = 2; i <= NF; i++) printf " %s |", $i; printf "\n"}' "$work/login-results")

**Largest step with p99 lateness <= 1 s: $best pending logins per replica** ($((best * 2)) on the two); one daemon on
SQLite: $best_sqlite.
EOF
fi
log "done"
