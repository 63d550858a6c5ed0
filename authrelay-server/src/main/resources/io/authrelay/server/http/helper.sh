#!/bin/sh
# authrelay git credential helper for workspaces without a JVM: POSIX sh plus curl (or GNU wget).
#   git config --global credential.https://github.com.helper '!sh /path/to/helper.sh'
# Configuration: AUTHRELAY_URL and AUTHRELAY_TOKEN, else url= and token= in
# ${AUTHRELAY_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/authrelay/client.conf} (must be chmod 600).
# The token never appears in argv: it goes to curl/wget through a private temp file.
# Retries only what is transient (connection errors, timeouts, 429, 502, 503, 504), 3 attempts with
# full-jitter backoff, all within AUTHRELAY_DEADLINE seconds (default 10).
set -u
op="${1:-}"
case "$op" in
    get|erase) ;;
    store) cat >/dev/null; exit 0 ;;
    *) exit 0 ;;
esac

say() { printf 'authrelay: %s\n' "$*" >&2; }
refuse() { say "$*"; [ "$op" = get ] && echo "quit=1"; exit 0; }

conf="${AUTHRELAY_CONFIG:-${XDG_CONFIG_HOME:-${HOME:-/}/.config}/authrelay/client.conf}"
url="${AUTHRELAY_URL:-}"
token="${AUTHRELAY_TOKEN:-}"
if [ -f "$conf" ] && { [ -z "$url" ] || [ -z "$token" ]; }; then
    case "$(ls -l "$conf" 2>/dev/null | cut -c5-10)" in
        ------) ;;
        *) refuse "$conf is readable by others: chmod 600 $conf" ;;
    esac
    [ -n "$url" ] || url=$(sed -n 's/^url=//p' "$conf" | head -n 1)
    [ -n "$token" ] || token=$(sed -n 's/^token=//p' "$conf" | head -n 1)
fi
url="${url:-http://127.0.0.1:7878}"
url="${url%/}"
[ -n "$token" ] || refuse "no workspace token: set AUTHRELAY_TOKEN or write token= in $conf"

umask 077
tmp=$(mktemp -d 2>/dev/null) || refuse "cannot create a private temp dir"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

lines=0
while IFS= read -r line; do
    [ -z "$line" ] && break
    lines=$((lines + 1))
    if [ "$lines" -gt 512 ] || [ "${#line}" -gt 65536 ]; then say "credential request too large"; exit 2; fi
    case "$line" in
        [a-zA-Z]*=*) ;;
        *) say "malformed credential line: expected key=value"; exit 2 ;;
    esac
    printf '%s\n' "$line"
done > "$tmp/request"

endpoint="$url/v1/vend"
[ "$op" = erase ] && endpoint="$url/v1/vend/reject"
deadline=$(( $(date +%s) + ${AUTHRELAY_DEADLINE:-10} ))

send() {
    remaining=$(( deadline - $(date +%s) ))
    [ "$remaining" -ge 1 ] || return 1
    if command -v curl >/dev/null 2>&1; then
        printf 'Authorization: Bearer %s\n' "$token" > "$tmp/headers-out"
        status=$(curl -sS -o "$tmp/body" -D "$tmp/headers-in" -w '%{http_code}' --connect-timeout 2 --max-time "$remaining" \
            -H @"$tmp/headers-out" -H 'Content-Type: text/plain' -H 'Accept: text/plain' \
            --data-binary @"$tmp/request" "$endpoint" 2>"$tmp/error") || status=000
    elif command -v wget >/dev/null 2>&1; then
        printf 'header = Authorization: Bearer %s\nheader = Content-Type: text/plain\nheader = Accept: text/plain\n' "$token" > "$tmp/wgetrc"
        wget -q -S -O "$tmp/body" --config="$tmp/wgetrc" --timeout="$remaining" --tries=1 --content-on-error \
            --post-file="$tmp/request" "$endpoint" 2>"$tmp/headers-in"
        status=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$tmp/headers-in" | tail -n 1)
        status=${status:-000}
    else
        refuse "neither curl nor wget is installed"
    fi
}

# Full jitter: sleep a random time in [0, min(2, 0.1 * 2^attempt)] seconds.
backoff() {
    cap_ms=$(( 100 * (1 << $1) ))
    [ "$cap_ms" -gt 2000 ] && cap_ms=2000
    random=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    ms=$(( random % (cap_ms + 1) ))
    retry_after=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$tmp/headers-in" 2>/dev/null | tail -n 1)
    [ -n "$retry_after" ] && ms=$(( retry_after * 1000 ))
    [ $(( $(date +%s) + ms / 1000 )) -lt "$deadline" ] || return 1
    sleep "$(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))"
}

attempt=1
while :; do
    send || status=000
    [ "${AUTHRELAY_DEBUG:-0}" = 1 ] && say "attempt $attempt POST $endpoint -> $status"
    case "$status" in
        000|429|502|503|504)
            [ "$attempt" -lt 3 ] && backoff "$attempt" && { attempt=$((attempt + 1)); continue; } ;;
    esac
    break
done

[ "$op" = erase ] && exit 0
message() { sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$tmp/body" | head -n 1; }
hint() { sed -n 's/.*"hint":"\([^"]*\)".*/\1/p' "$tmp/body" | head -n 1; }
case "$status" in
    200) cat "$tmp/body" ;;
    404) exit 0 ;;
    401|403|409) h=$(hint); refuse "$(message)${h:+: $h}" ;;
    000) refuse "broker unreachable at $url: is the daemon running?" ;;
    *) refuse "the broker answered HTTP $status: $(message)" ;;
esac
exit 0
