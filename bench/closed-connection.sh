#!/usr/bin/env bash
# Counts requests the daemon answers before reading their body and then leaves without an answer (see
# bench/closed-connection/Repro.java and docs/ARCHITECTURE.md, "Every request body is read before its answer").
#
#   bench/closed-connection.sh                      # token 400 1, token 400 3, oversized 500, crash 5 50 2
#   bench/closed-connection.sh crash 8 50 -1        # one mode with its arguments
#   LOAD=1 bench/closed-connection.sh ...           # under `stress-ng --cpu 2` (apt-get install stress-ng)
#
# It builds the test class path of this checkout (test-compile, no install), so run it from a clone nobody is
# building in. Before the fix, on a 2-core machine: token 400 1 → 1-6, token 400 3 → 4-5, oversized 500 → 6-46,
# crash 5 50 2 → 0-1 (the daemon process's token route usually outlasts a 2 ms lag); after it, 0 everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
work="$(mktemp -d)"
stress=
cleanup() {
    [ -n "$stress" ] && kill "$stress" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

./mvnw -q -B -o -pl authrelay-cli -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >&2
cp="$work/classes:$(cat "$work/cp.txt"):authrelay-cli/target/classes:authrelay-cli/target/test-classes"
"$JAVA_HOME/bin/javac" -d "$work/classes" -cp "$cp" bench/closed-connection/Repro.java

if [ "${LOAD:-0}" = 1 ]; then
    stress-ng --cpu 2 --timeout 3600s >/dev/null 2>&1 &
    stress=$!
fi
run() { "$JAVA_HOME/bin/java" -cp "$cp" Repro "$@" 2>&1 | grep -E "^(RESULT|round)|Exception"; }
if [ $# -gt 0 ]; then
    run "$@"
else
    run token 400 1
    run token 400 3
    run oversized 500
    run crash 5 50 2
fi
