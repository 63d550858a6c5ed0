#!/usr/bin/env bash
# Git credential helper latency: the wall time of `git credential fill` (hyperfine) with git configured
# to use, in turn, git's own `store` helper (the floor), `gh auth git-credential` (the bar to meet), our
# Java helper bin/git-credential-authrelay, and our sh helper (GET /v1/helper.sh) under dash; then the
# Java helper started directly with one JVM start-up option after another, to show what each is worth.
# Everything runs in one hyperfine run against one daemon. Markdown on stdout, progress on stderr.
#
#   bench/helper-latency.sh > /tmp/helper.md
#   COMPARE_HELPER=/other/clone/bin/git-credential-authrelay bench/helper-latency.sh   # adds that helper as a row
#
# Knobs (environment): HF_WARMUP (3), HF_RUNS (40), COMPARE_HELPER (another helper script to time in the
# same run), JVM_VARIANTS=0 to skip the JVM option rows.
# Needs: git, gh, hyperfine, dash, curl, ss (apt-get install -y git gh hyperfine dash curl iproute2), a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
READY_TIMEOUT=${READY_TIMEOUT:-90}
. bench/lib.sh

HF_WARMUP=${HF_WARMUP:-3}
HF_RUNS=${HF_RUNS:-40}
JVM_VARIANTS=${JVM_VARIANTS:-1}
require_tools git gh hyperfine dash curl ss

start_daemon helper
jar="$root/dist/lib/authrelay-client.jar"
main=io.authrelay.client.git.GitCredentialHelper

# A private, empty environment for git, gh and the helpers: nothing from the user's own configuration.
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GH_CONFIG_DIR="$work/gh" GH_NO_UPDATE_NOTIFIER=1 \
    GH_PROMPT_DISABLED=1 AUTHRELAY_URL="$daemon_url" AUTHRELAY_TOKEN="$ws_token"
unset GH_TOKEN GITHUB_TOKEN GH_HOST XDG_CONFIG_HOME XDG_CACHE_HOME AUTHRELAY_JAVA AUTHRELAY_CONFIG
mkdir -p "$HOME" "$GH_CONFIG_DIR" "$work/git"
printf 'protocol=https\nhost=github.com\npath=org/repo.git\n\n' >"$work/input.txt"

# (a) git's store helper with a prepared credentials file
store_secret="ghp_store$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'https://x-access-token:%s@github.com\n' "$store_secret" >"$work/store.creds"
chmod 600 "$work/store.creds"
# (b) gh with a prepared config: answers from hosts.yml, no network
gh_secret="gho_bench$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
cat >"$GH_CONFIG_DIR/hosts.yml" <<EOF
github.com:
    oauth_token: $gh_secret
    user: bench
    git_protocol: https
EOF
printf 'version: "1"\ngit_protocol: https\nprompt: disabled\n' >"$GH_CONFIG_DIR/config.yml"
chmod 600 "$GH_CONFIG_DIR"/*.yml
# (d) the sh helper as the daemon serves it
curl -sf -m 10 "$daemon_url/v1/helper.sh" -o "$work/helper.sh" || die "cannot fetch /v1/helper.sh"
# (d') the sh helper as BEFORE_REF (default main) has it, for a same-run before/after; skipped when git cannot show it
BEFORE_REF=${BEFORE_REF:-main}
git -C "$root" show "$BEFORE_REF:authrelay-server/src/main/resources/io/authrelay/server/http/helper.sh" >"$work/helper-before.sh" 2>/dev/null \
    || rm -f "$work/helper-before.sh"

# Rows: NAME|HELPER (as in git config, run by git through sh)|SECRET expected
rows=()
add_row() { rows+=("$1|$2|$3"); printf '[credential]\n\thelper = %s\n' "$2" >"$work/git/$(echo "$1" | tr -c 'A-Za-z0-9_\n-' '_').gitconfig"; }
add_row "git store (floor)" "store --file=$work/store.creds" "$store_secret"
add_row "gh auth git-credential" "!$(command -v gh) auth git-credential" "$gh_secret"
add_row "authrelay Java helper (bin/git-credential-authrelay)" "!$root/bin/git-credential-authrelay" "$bench_secret"
add_row "authrelay sh helper (dash helper.sh)" "!dash $work/helper.sh" "$bench_secret"
[ -f "$work/helper-before.sh" ] && add_row "before: sh helper of $BEFORE_REF (dash)" "!dash $work/helper-before.sh" "$bench_secret"
[ -n "${COMPARE_HELPER:-}" ] && add_row "compared: $COMPARE_HELPER" "!$COMPARE_HELPER" "$bench_secret"

# JVM start-up options, each on the Java helper started directly (no launcher script), cumulative where marked.
variant_notes=()
if [ "$JVM_VARIANTS" = 1 ]; then
    c1="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    log "JVM variants: making an AppCDS dynamic archive and (JDK >= 25) an AOT cache of the helper"
    "$java" $c1 -XX:ArchiveClassesAtExit="$work/client-dyn.jsa" -Xlog:disable -cp "$jar" $main get <"$work/input.txt" >/dev/null 2>&1 \
        || die "cannot make the dynamic CDS archive"
    add_row "java: no options (JDK default CDS)" "!$java -cp $jar $main" "$bench_secret"
    add_row "java: C1 + SerialGC + -Xshare:off (no CDS at all)" "!$java $c1 -Xshare:off -cp $jar $main" "$bench_secret"
    add_row "java: C1 + SerialGC (JDK default CDS)" "!$java $c1 -cp $jar $main" "$bench_secret"
    add_row "java: C1 + SerialGC + AppCDS dynamic archive" "!$java $c1 -Xshare:auto -XX:SharedArchiveFile=$work/client-dyn.jsa -cp $jar $main" "$bench_secret"
    add_row "java: C1 + SerialGC + AppCDS + -XX:-UsePerfData" "!$java $c1 -XX:-UsePerfData -XX:SharedArchiveFile=$work/client-dyn.jsa -cp $jar $main" "$bench_secret"
    add_row "java: -Xint + SerialGC + AppCDS + -XX:-UsePerfData" "!$java -Xint -XX:+UseSerialGC -XX:-UsePerfData -XX:SharedArchiveFile=$work/client-dyn.jsa -cp $jar $main" "$bench_secret"
    variant_notes+=("AppCDS dynamic archive: \`-XX:ArchiveClassesAtExit\` after one real \`get\` ($(wc -c <"$work/client-dyn.jsa") bytes), which is what the launcher's \`-XX:+AutoCreateSharedArchive\` makes on first use")
    if [ "$java_feature" -ge 25 ]; then
        # Two steps, as a helper would do it: record during a real get, then create (JDK 25: JEP 483/514/515).
        "$java" $c1 -XX:-UsePerfData -XX:AOTMode=record -XX:AOTConfiguration="$work/client.aotconf" -Xlog:disable -cp "$jar" $main get \
            <"$work/input.txt" >/dev/null 2>&1 || die "AOT record run failed"
        "$java" $c1 -XX:-UsePerfData -XX:AOTMode=create -XX:AOTConfiguration="$work/client.aotconf" -XX:AOTCache="$work/client.aot" \
            -Xlog:disable -cp "$jar" >/dev/null 2>&1 || die "AOT cache creation failed"
        # AOTMode=on: the run fails rather than silently ignoring a cache it cannot use.
        aot="-XX:AOTMode=on -XX:AOTCache=$work/client.aot"
        add_row "java: C1 + SerialGC + -XX:-UsePerfData + AOT cache" "!$java $c1 -XX:-UsePerfData $aot -cp $jar $main" "$bench_secret"
        add_row "java: -Xint + SerialGC + -XX:-UsePerfData + AOT cache" "!$java -Xint -XX:+UseSerialGC -XX:-UsePerfData $aot -cp $jar $main" "$bench_secret"
        add_row "java: -Xint + SerialGC + -XX:-UsePerfData + AOT cache + -Xss256k" "!$java -Xint -XX:+UseSerialGC -XX:-UsePerfData -Xss256k $aot -cp $jar $main" "$bench_secret"
        variant_notes+=("AOT cache: \`-XX:AOTMode=record\` during one real \`get\`, then \`-XX:AOTMode=create\` ($(wc -c <"$work/client.aot") bytes); timed with \`-XX:AOTMode=on\` so an unusable cache fails the run")
    fi
fi

fill() { GIT_CONFIG_GLOBAL="$work/git/$(echo "$1" | tr -c 'A-Za-z0-9_\n-' '_').gitconfig" git credential fill <"$work/input.txt"; }
# Each helper must answer with its own secret through git before anything is timed (also warms caches
# and lets the launcher create its CDS archive).
for row in "${rows[@]}"; do
    IFS='|' read -r name helper secret <<<"$row"
    out=$(fill "$name" 2>"$work/fill.err") || { cat "$work/fill.err" >&2; die "git credential fill failed with: $name"; }
    grep -qx "password=$secret" <<<"$out" || { echo "$out" >&2; cat "$work/fill.err" >&2; die "wrong or no password from: $name"; }
    [ -s "$work/fill.err" ] && log "warning: $name wrote to stderr: $(head -c 300 "$work/fill.err")"
    fill "$name" >/dev/null 2>&1   # second run: the launcher's archive exists now
done
# A launcher may build its start-up archive in the background after its first run: let that finish.
for _ in $(seq 1 60); do pgrep -f -- '-XX:AOTMode=create' >/dev/null || break; sleep 0.5; done
for row in "${rows[@]}"; do IFS='|' read -r name _ _ <<<"$row"; fill "$name" >/dev/null 2>&1; done
log "all $(( ${#rows[@]} )) helpers answer correctly through git credential fill"

# find-java alone: what the launcher script spends before it starts the JVM
hf_args=()
for row in "${rows[@]}"; do
    IFS='|' read -r name helper secret <<<"$row"
    hf_args+=(-n "$name" "GIT_CONFIG_GLOBAL=$work/git/$(echo "$name" | tr -c 'A-Za-z0-9_\n-' '_').gitconfig git credential fill <$work/input.txt")
done
hf_args+=(-n "(launcher part) sh: . bin/lib/find-java.sh; authrelay_find_java" ". $root/bin/lib/find-java.sh; authrelay_find_java")

log "hyperfine: ${#rows[@]} helpers + find-java, warmup $HF_WARMUP, $HF_RUNS runs each"
# hyperfine 1.15 (Debian 12) has no --input: the commands redirect stdin themselves under dash, and hyperfine
# subtracts the shell's own start-up (-S dash).
hyperfine -S dash --style basic --warmup "$HF_WARMUP" --runs "$HF_RUNS" \
    --export-csv "$work/hf.csv" --export-json "$work/hf.json" "${hf_args[@]}" >"$work/hf.log" 2>&1 \
    || { cat "$work/hf.log" >&2; die "hyperfine failed"; }

# csv: command,mean,stddev,median,user,system,min,max (seconds); p90 from the JSON's raw times
hfc() { awk -F, -v n="$1" -v c="$2" '{name = $1; for (i = 2; i <= NF - 7; i++) name = name "," $i; if (name == n) printf "%.1f", $(NF - 7 + c - 1) * 1000}' "$work/hf.csv"; }
p90() { python3 - "$work/hf.json" "$1" <<'EOF' 2>/dev/null || echo "-"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["command"] == sys.argv[2]:
        t = sorted(r["times"]); print("%.1f" % (t[int(0.9 * (len(t) - 1))] * 1000))
EOF
}
gh_med=$(hfc "gh auth git-credential" 4)
store_med=$(hfc "git store (floor)" 4)
table() {
    echo "| helper used by \`git credential fill\` | p50 ms | mean ms | p90 ms | min ms | CPU ms (user+sys) | p50 vs gh | p50 vs store |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    local row name
    for row in "${rows[@]}" "(launcher part) sh: . bin/lib/find-java.sh; authrelay_find_java||"; do
        IFS='|' read -r name _ _ <<<"$row"
        local med mean mn cpu
        med=$(hfc "$name" 4); mean=$(hfc "$name" 2); mn=$(hfc "$name" 7)
        cpu=$(awk -v u="$(hfc "$name" 5)" -v s="$(hfc "$name" 6)" 'BEGIN {printf "%.1f", u + s}')
        echo "| $name | $med | $mean | $(p90 "$name") | $mn | $cpu | $(awk -v a="$med" -v b="$gh_med" 'BEGIN {printf "%.2f", a / b}') | $(awk -v a="$med" -v b="$store_med" 'BEGIN {printf "%.1f", a / b}') |"
    done
}
java_med=$(hfc "authrelay Java helper (bin/git-credential-authrelay)" 4)
sh_med=$(hfc "authrelay sh helper (dash helper.sh)" 4)

cat <<EOF
## Run

$(machine_lines)
- git $(git --version | awk '{print $3}'), $(gh --version | head -n 1), dash $(dpkg-query -W -f '${Version}' dash 2>/dev/null || echo '?'), hyperfine $(hyperfine --version | awk '{print $2}')
- hyperfine \`-S dash --warmup $HF_WARMUP --runs $HF_RUNS\`; each command is \`GIT_CONFIG_GLOBAL=FILE git credential fill <input\`
  with input \`protocol=https host=github.com path=org/repo.git\`, \`GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0\`, a private
  HOME, GH_CONFIG_DIR with a hosts.yml holding an oauth_token (gh answers without network), and AUTHRELAY_URL/TOKEN
  of a daemon (bin/authrelay server, fresh home, one static provider, one workspace) on 127.0.0.1
$(for n in "${variant_notes[@]}"; do echo "- $n"; done)

$(table)

## Targets (issue 14, p50)

| figure | baseline (same run) | figure | ratio | target |
| --- | ---: | ---: | ---: | ---: |
| \`git credential fill\`, Java helper | gh $gh_med ms | $java_med ms | $(awk -v a="$java_med" -v b="$gh_med" 'BEGIN {printf "%.2f", a / b}')x | <= 0.75x gh |
| \`git credential fill\`, sh helper (dash) | git store $store_med ms | $sh_med ms | $(awk -v a="$sh_med" -v b="$store_med" 'BEGIN {printf "%.2f", a / b}')x | <= 15 ms and <= 2x store |
EOF
