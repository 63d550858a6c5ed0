#!/bin/sh
# authrelay git credential helper for workspaces without a JVM: POSIX sh (dash, BusyBox ash, bash) plus curl; else
# GNU wget; else, for a broker on this machine's loopback over plain http, nc (BusyBox has it).
#   git config --global credential.https://github.com.helper '!sh /path/to/helper.sh'
# Configuration: AUTHRELAY_URL and AUTHRELAY_TOKEN, else url= and token= in
# ${AUTHRELAY_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/authrelay/client.conf} (must be chmod 600).
# AUTHRELAY_CA_FILE: a PEM bundle that alone is trusted for an https broker (curl --cacert, wget --ca-certificate);
# the broker's name is still checked against its certificate.
# The token never appears in argv: the shell's builtin printf writes it into curl's config or nc's request through a
# pipe; only GNU wget reads it from a file, in a private temp dir removed at exit. BusyBox wget cannot be given it
# privately, so it is never used.
# A protocol, host or path that git and the broker could read differently (userinfo, whitespace, control characters,
# a non-ASCII host or protocol) is refused before anything is sent; the Java helper applies the same rules.
# Retries only what is transient (connection errors, timeouts, 429, 502, 503, 504), 3 attempts with
# full-jitter backoff, all within AUTHRELAY_DEADLINE seconds (default 10).
#
#   git config --global credential.$AUTHRELAY_URL.helper '!sh /path/to/helper.sh --relay'
# answers git's get for the broker's own URL only (the credential relay, as `authrelay setup-git --relay` sets up):
# the workspace token, when git's protocol and host are exactly AUTHRELAY_URL's scheme and host[:port] (lower case,
# as the Java helper compares them); for any other URL nothing, so git cannot be talked into sending it elsewhere.
# Nothing is sent to the broker to answer, so no curl is needed.
#
#   sh helper.sh materialize NAME DIR
# writes the files of an AI CLI's delivery (POST /v1/deliver; access token only) under DIR, as
# `authrelay materialize` does: each path checked (relative, no empty, . or .. segment, no backslash or control
# character), nothing written when one is refused, no symbolic link followed inside DIR, missing directories 0700, each
# file 0600 and replaced atomically (a temp file in the same directory, synced, then renamed). Needs base64, mv -T and
# tr (BusyBox has them). Exit codes as the CLI's: 0 ok, 1 failed, 2 usage, 3 not found, 4 refused, 5 unreachable.
# Unlike the Java client it cannot hold directories open, so a process that can write inside DIR and swaps a
# directory for a link between the check and the write is not ruled out.
set -u
LC_ALL=C # patterns and ${#var} then work on bytes: Content-Length, and non-ASCII detection
nl='
'
relay=''
[ "${1:-}" = --relay ] && relay=1 && shift
op="${1:-}"
[ -n "$relay" ] && [ "$op" = materialize ] && { printf 'authrelay: usage: helper.sh --relay get\n' >&2; exit 2; }
case "$op" in
    get|erase|materialize) ;;
    *) while IFS= read -r _; do :; done; exit 0 ;; # store and unknown operations: nothing to do (git's rule)
esac

say() { printf 'authrelay: %s\n' "$*" >&2; }
# materialize ends with an exit code ($1) and one line; git's operations answer quit=1 (get) and exit 0
fail() { code=$1; shift; say "$*"; [ "$op" = materialize ] && exit "$code"; [ "$op" = get ] && echo "quit=1"; exit 0; }
refuse() { fail 1 "$@"; }
malformed() { say "malformed credential input: $*"; exit 2; }
# true when $1 matches one of the patterns that follow
has() { v=$1; shift; for p; do case $v in $p) return 0 ;; esac; done; return 1; }

# The rules of AttributeRules.java, in its order. $1 attribute, $2 value; $3 is the value again when it came from url=,
# whose %XX escapes git decodes, so an escape counts as the byte it stands for.
check() {
    why=
    if has "$2" '*[[:space:]]*' || has "$3" '*%0[9A-Da-d]*' '*%20*'; then
        why=whitespace
    elif has "$2" '*[[:cntrl:]]*' || has "$3" '*%[01][0-9A-Fa-f]*' '*%7[Ff]*'; then
        why='a control character'
    elif [ "$1" != path ] && { has "$2" '*[![:print:][:cntrl:]]*' || has "$3" '*%[89A-Fa-f][0-9A-Fa-f]*'; }; then
        why='a non-ASCII character'
    elif [ "$1" = host ] && { has "$2" '*@*' || has "$3" '*%40*'; }; then
        why='userinfo (@)'
    fi
    [ -z "$why" ] || refuse "refusing $1: it contains $why"
}

# git's credential_from_url, as GitUrl.java splits it. NUL and newline cannot be carried as text at all.
from_url() {
    case $1 in ?*://*) ;; *) malformed "url= has no scheme (expected scheme://host/path)" ;; esac
    protocol=${1%%://*}
    rest=${1#*://}
    authority=${rest%%[/?#]*}
    path=${rest#"$authority"}
    username='' password=''
    host=$authority
    case $authority in
        *@*) host=${authority#*@} username=${authority%%@*} ;;
    esac
    case $username in
        *:*) password=${username#*:} username=${username%%:*} ;;
    esac
    for part in "username=$username" "password=$password" "host=$host" "path=$path"; do
        has "${part#*=}" '*%00*' '*%0[Aa]*' && refuse "refusing ${part%%=*}: it contains a NUL or newline (from url=)"
    done
    host_url=$host path_url=$path
    # what the broker reads: git's fields without the password, which it never needs
    request="url=$protocol://${username:+$username@}$host$path$nl"
}

if [ "$op" = materialize ]; then
    [ $# -eq 3 ] && [ -n "$3" ] || { say "usage: helper.sh materialize NAME DIR"; exit 2; }
    name=$2 home=$3
    case $name in
        [a-z0-9]*) has "$name" '*[!a-z0-9._-]*' && name='' ;;
        *) name='' ;;
    esac
    [ -n "$name" ] && [ "${#name}" -le 63 ] || { say "materialize: '$2' is not a provider name"; exit 2; }
    case $home in /*) ;; *) home=$PWD/$home ;; esac
    while has "$home" '?*/'; do home=${home%/}; done
    request="{\"provider\":\"$name\"}$nl"
    content_type=application/json
else
    # git's description: the broker gets protocol, host, path, username, wwwauth[] (and url= without its password),
    # never a password or anything else git sends.
    request='' protocol='' host='' path='' host_url='' path_url='' lines=0 cr=''
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
            *[[:cntrl:]]) # git reads lines with strbuf_getline: a CR before the LF is not part of the value
                [ -n "$cr" ] || cr=$(printf '\r')
                line=${line%"$cr"} ;;
        esac
        [ -z "$line" ] && break
        lines=$((lines + 1))
        [ "$lines" -le 512 ] && [ "${#line}" -le 65536 ] || malformed "credential request too large"
        case $line in
            url=*) from_url "${line#url=}"; continue ;;
            protocol=*) protocol=${line#*=} ;;
            host=*) host=${line#*=} host_url='' ;;
            path=*) path=${line#*=} path_url='' ;;
            username=*|wwwauth\[\]=*) ;;
            [!=]*=*) continue ;;
            *) malformed "expected key=value" ;;
        esac
        request=$request$line$nl
    done

    # Like the Java helper: only http(s) with a host goes to the broker (git asks helpers for other things too, such as
    # certificate passwords, which are not ours to answer).
    check protocol "$protocol" ''
    case $protocol in http|https) ;; *) exit 0 ;; esac
    [ -n "$host" ] || exit 0
    check host "$host" "$host_url"
    check path "$path" "$path_url"
    content_type=text/plain
fi

conf="${AUTHRELAY_CONFIG:-${XDG_CONFIG_HOME:-${HOME:-/}/.config}/authrelay/client.conf}"
url="${AUTHRELAY_URL:-}"
token="${AUTHRELAY_TOKEN:-}"
if [ -f "$conf" ] && { [ -z "$url" ] || [ -z "$token" ]; }; then
    case "$(ls -ld "$conf" 2>/dev/null)" in
        ????--?--?*) ;;
        *) refuse "$conf is readable by others: chmod 600 $conf" ;;
    esac
    file_url='' file_token=''
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
            url=*) file_url=${line#url=} ;;
            token=*) file_token=${line#token=} ;;
        esac
    done <"$conf"
    url=${url:-$file_url} token=${token:-$file_token}
fi
url="${url:-http://127.0.0.1:7878}"
url="${url%/}"
if [ -n "$relay" ]; then
    # RelayCredential.java's rule: only the broker's exact scheme and authority; erase has nothing to report
    [ "$op" = get ] || exit 0
    ours=${url#*://}
    ours=$(printf '%s\n%s\n' "${url%%://*}" "${ours%%/*}" | tr '[:upper:]' '[:lower:]')
    theirs=$(printf '%s\n%s\n' "$protocol" "$host" | tr '[:upper:]' '[:lower:]')
    [ "$ours" = "$theirs" ] || exit 0
    [ -n "$token" ] || refuse "no workspace token: set AUTHRELAY_TOKEN or write token= in $conf"
    has "$token" "*$nl*" "*$(printf '\r')*" && refuse "the workspace token has a newline"
    printf 'username=authrelay\npassword=%s\n' "$token" # printf is a builtin: the token is in no argv
    exit 0
fi
[ -n "$token" ] || refuse "no workspace token: set AUTHRELAY_TOKEN or write token= in $conf"
case $op in
    get) endpoint="$url/v1/vend" ;;
    erase) endpoint="$url/v1/vend/reject" ;;
    materialize) endpoint="$url/v1/deliver" ;;
esac

case ${AUTHRELAY_DEADLINE:-10} in
    *[!0-9]*|'') refuse "AUTHRELAY_DEADLINE must be a whole number of seconds" ;;
esac
# Time in centiseconds: /proc/uptime is read by a builtin, where date would cost a process per call.
clock() {
    if read -r up _ 2>/dev/null </proc/uptime; then
        now=$((${up%.*} * 100 + 1${up#*.} - 100))
    else
        now=$(($(date +%s) * 100))
    fi
}
clock
deadline=$((now + ${AUTHRELAY_DEADLINE:-10} * 100))

# curl and GNU wget speak HTTP themselves. nc is used only for a broker in plain http on this machine, where the
# request crosses no network.
authority=${url#*://}
authority=${authority%%/*}
case $authority in
    \[*) nc_host=${authority%%\]*} nc_host=${nc_host#\[} nc_port=${authority##*\]} ;;
    *) nc_host=${authority%:*} nc_port=${authority#"${authority%:*}"} ;;
esac
nc_port=${nc_port#:}
loopback=''
case $url in
    http://*) case $nc_host in 127.0.0.1|localhost|::1) loopback=1 ;; esac ;;
esac
if command -v curl >/dev/null 2>&1; then
    transport=curl
elif [ -n "$loopback" ] && command -v nc >/dev/null 2>&1; then
    transport=nc
elif command -v wget >/dev/null 2>&1 && has "$(wget --version 2>/dev/null)" 'GNU Wget*'; then
    transport=wget
elif [ -n "$loopback" ]; then
    refuse "cannot reach $url: curl, GNU wget and nc are all missing (BusyBox wget cannot keep the token out of" \
        "argv): install curl (apk add curl on Alpine, apt-get install curl on Debian)"
else
    refuse "cannot reach $url without curl or GNU wget (nc is used only for plain http to 127.0.0.1, localhost or" \
        "::1; BusyBox wget cannot keep the token out of argv): install curl (apk add curl on Alpine, apt-get install" \
        "curl on Debian)"
fi

# Only the bundle is trusted then, as with the Java client; a file that cannot be read is refused, never ignored.
ca_file=${AUTHRELAY_CA_FILE:-}
if [ -n "$ca_file" ]; then
    [ -f "$ca_file" ] && [ -r "$ca_file" ] || refuse "AUTHRELAY_CA_FILE: cannot read $ca_file"
fi

# A curl config string: backslash and double quote escaped.
quote() {
    rest=$1 quoted=''
    while has "$rest" '*[\\\"]*'; do
        pre=${rest%%[\\\"]*}
        rest=${rest#"$pre"}
        quoted=$quoted$pre\\${rest%"${rest#?}"}
        rest=${rest#?}
    done
    quoted=$quoted$rest
}

if [ "$transport" = curl ]; then
    data='' left=$request
    while [ -n "$left" ]; do
        quote "${left%%"$nl"*}"
        data=$data$quoted'\n'
        left=${left#*"$nl"}
    done
    quote "$endpoint"
    config="url = \"$quoted\"$nl"
    if [ -n "$ca_file" ]; then
        quote "$ca_file"
        config="${config}cacert = \"$quoted\"$nl"
    fi
    quote "$token"
    # Expect: curl would otherwise wait for a 100 Continue on larger bodies
    config="${config}header = \"Authorization: Bearer $quoted\"${nl}header = \"Content-Type: $content_type\"
header = \"Accept: text/plain\"${nl}header = \"Expect:\"${nl}data-raw = \"$data\"$nl"
    # A here-document saves the printf process of the pipe, but only where the shell makes it a pipe: some shells
    # (bash before 5.1, ksh, zsh, and any for a long one) write it to a temp file, which must never hold the token.
    # The probe asks this shell with a builtin; the limit keeps the real one as short as the probe's pipe allowed.
    config_in_heredoc=''
    if [ "${#config}" -le 4000 ] && [ -p /dev/stdin ] 2>/dev/null <<EOF
probe
EOF
    then
        config_in_heredoc=1
    fi
fi

# One attempt within $1 seconds (x.yy; $2 rounded up): sets response to the raw HTTP answer (status line, headers,
# blank line, body), empty when none came.
send() {
    case $transport in
        curl)
            # -q: no ~/.curlrc, whose options could change what curl prints
            if [ -n "$config_in_heredoc" ]; then
                # one fork: the subshell execs curl, which reads the config from the here-document's pipe
                response=$(curl -q -sS -K - -D - --connect-timeout 2 --max-time "$1" 2>/dev/null <<EOF
$config
EOF
) || response=''
            else
                response=$(printf '%s' "$config" | curl -q -sS -K - -D - --connect-timeout 2 --max-time "$1" 2>/dev/null) \
                    || response=''
            fi ;;
        nc)
            # BusyBox nc bounds only the connect: timeout bounds the whole exchange where it exists.
            limit=''
            command -v timeout >/dev/null 2>&1 && limit="timeout $2"
            response=$(printf 'POST /%s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nAccept: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
                "${endpoint#*://*/}" "$authority" "$token" "$content_type" "${#request}" "$request" \
                | $limit nc -w 2 "$nc_host" "${nc_port:-80}" 2>/dev/null) || response='' ;;
        wget)
            if [ -z "${tmp:-}" ]; then
                umask 077
                tmp=$(mktemp -d 2>/dev/null) || refuse "cannot create a private temp dir for wget"
                trap 'rm -rf "$tmp"' EXIT
                trap 'exit 1' INT TERM
                printf '%s' "$request" >"$tmp/request"
                printf 'header = Authorization: Bearer %s\nheader = Content-Type: %s\nheader = Accept: text/plain\n' \
                    "$token" "$content_type" >"$tmp/wgetrc"
            fi
            wget -q -S -O "$tmp/body" --config="$tmp/wgetrc" --timeout="$2" --tries=1 --content-on-error \
                ${ca_file:+"--ca-certificate=$ca_file"} --post-file="$tmp/request" "$endpoint" 2>"$tmp/headers"
            # wget -S prints the answer's head indented on stderr and the body to the file
            response=''
            while IFS= read -r line; do response=$response${line#"${line%%[! ]*}"}$nl; done <"$tmp/headers"
            [ -f "$tmp/body" ] && response=$response$nl$(cat "$tmp/body") ;;
    esac
}

# Splits response into status (000 when there is no HTTP answer), retry_after (seconds, or empty) and body.
parse() {
    status=000 retry_after='' body=$response
    while has "$body" 'HTTP/*'; do # a 100 Continue or a proxy's CONNECT answer comes before the real one
        head=${body%%"$nl"[[:cntrl:]]"$nl"*}
        head=${head%%"$nl$nl"*}
        body=${body#"$head"}
        body=${body#"$nl"}
        body=${body#[[:cntrl:]]}
        body=${body#"$nl"}
        status=${head#HTTP/* }
        status=${status%%[!0-9]*}
        has "$status" '[1-5][0-9][0-9]' || status=000
        retry_after=''
        rest=$head
        while [ -n "$rest" ]; do
            line=${rest%%"$nl"*}
            case $line in
                [Rr][Ee][Tt][Rr][Yy]-[Aa][Ff][Tt][Ee][Rr]:*)
                    retry_after=${line#*:}
                    retry_after=${retry_after#"${retry_after%%[! ]*}"}
                    retry_after=${retry_after%%[!0-9]*} ;;
            esac
            [ "$rest" = "$line" ] && break
            rest=${rest#*"$nl"}
        done
    done
}

# Full jitter, as RetryClassifier.java: a random wait in [0, min(2 s, 100 ms x 2^(attempt-1))], or Retry-After on 429;
# false when the wait and a 100 ms attempt no longer fit before the deadline.
backoff() {
    if [ "$status" = 429 ] && [ -n "$retry_after" ]; then
        pause=$((retry_after * 100))
    else
        ceiling=$((10 << ($1 - 1)))
        [ "$ceiling" -gt 200 ] && ceiling=200
        random=$(od -An -N2 -tu2 /dev/urandom)
        pause=$((${random##* } % (ceiling + 1)))
    fi
    clock
    [ $((now + pause + 10)) -le "$deadline" ] || return 1
    [ "${AUTHRELAY_DEBUG:-0}" = 1 ] && say "waiting $((pause * 10)) ms before attempt $(($1 + 1))"
    sleep "$((pause / 100)).$((pause % 100 / 10))$((pause % 10))"
}

attempt=1
while :; do
    clock
    remaining=$((deadline - now))
    status=000 retry_after='' body=''
    if [ "$remaining" -ge 10 ]; then
        send "$((remaining / 100)).$((remaining % 100 / 10))$((remaining % 10))" $(((remaining + 99) / 100))
        parse
    fi
    [ "${AUTHRELAY_DEBUG:-0}" = 1 ] && say "attempt $attempt POST $endpoint via $transport -> $status"
    case "$status" in
        000|429|502|503|504)
            [ "$attempt" -lt 3 ] && backoff "$attempt" && { attempt=$((attempt + 1)); continue; } ;;
    esac
    break
done

[ "$op" = erase ] && exit 0
field() { # the first "$1":"…" string of the JSON error body
    value=''
    case $body in *"\"$1\":\""*) value=${body#*"\"$1\":\""} value=${value%%\"*} ;; esac
}

# The broker's one line for a refusal: its message (else the status) and its hint.
refusal() { field hint; hint=$value; field message; reason="${value:-the broker refused: HTTP $status}${hint:+: $hint}"; }

# POST /v1/deliver with Accept: text/plain answers one entry a line, fields separated by one space, binary ones in
# standard base64 (busybox and coreutils base64 -d both read it): "provider NAME", "expires_at RFC3339" (absent when
# unknown), "env NAME VALUE64" (for exec; not used here), "file PATH64 CONTENT64" (CONTENT64 empty for an empty file).
# Other kinds of line are ignored, so the broker can add some.

# Sets path from base64 $1; a NUL (which a shell variable cannot hold) comes out as \001, a control character.
decode_path() {
    has "$1" '*[!A-Za-z0-9+/=]*' && fail 1 "refusing what the broker delivered for $name: a path is not base64"
    path=$(printf '%s' "$1" | base64 -d 2>/dev/null | tr '\000' '\001'; printf x)
    path=${path%x}
}

# DeliveryPath.java's rule: sets why when $path is refused.
path_problem() {
    why=''
    case $path in
        '') why='is empty'; return ;;
        /*) why='is absolute'; return ;;
        *\\*) why='contains a backslash'; return ;;
        *[[:cntrl:]]*|*$c1*|*$seps*) why='contains a control character'; return ;;
    esac
    segments=$path/
    while [ -n "$segments" ]; do
        segment=${segments%%/*} segments=${segments#*/}
        case $segment in
            '') why='has an empty segment' ;;
            .) why="has a '.' segment" ;;
            ..) why='leaves its directory (..)' ;;
        esac
        [ -z "$why" ] || return
    done
}

# The path shown with its control characters as ?, so that the message stays one harmless line.
refuse_path() {
    shown=$(printf '%s' "$1" | tr '\001-\037\177' '?' | sed "s/$c1/?/g; s/$seps/?/g")
    fail 1 "refusing what the broker delivered for $name: file path '$shown' $2"
}

# Every entry is checked before anything is written.
check_delivery() {
    paths='' expires='' rest=$body$nl
    while [ -n "$rest" ]; do
        line=${rest%%"$nl"*} rest=${rest#*"$nl"}
        case $line in
            "provider "*) [ "${line#provider }" = "$name" ] \
                || fail 1 "refusing what the broker delivered for $name: it is for another provider" ;;
            "expires_at "*) expires=${line#expires_at } ;;
            "file "*)
                fields=${line#file }
                has "$fields" '* *' || fail 1 "refusing what the broker delivered for $name: a file line lacks its content"
                decode_path "${fields%% *}"
                has "${fields#* }" '*[!A-Za-z0-9+/=]*' \
                    && fail 1 "refusing what the broker delivered for $name: a file's content is not base64"
                path_problem
                [ -z "$why" ] || refuse_path "$path" "$why"
                case $nl$paths in
                    *"$nl$path$nl"*) refuse_path "$path" 'comes twice' ;;
                    *"$nl$path/"*) refuse_path "$path" 'is also a directory of another' ;;
                esac
                others=$paths
                while [ -n "$others" ]; do
                    other=${others%%"$nl"*} others=${others#*"$nl"}
                    case $path in "$other"/*) refuse_path "$other" 'is also a directory of another' ;; esac
                done
                paths=$paths$path$nl ;;
        esac
    done
}

# HomeWriter.java's way, as far as sh goes: no link followed, directories 0700, a 0600 temp file created exclusively
# (noclobber) under a random name, synced, renamed over the target with mv -T.
write_file() { # $1 the checked path, $2 its content in base64
    at=$home below=$1
    while has "$below" '*/*'; do
        at=$at/${below%%/*} below=${below#*/}
        [ -L "$at" ] && fail 1 "$at is a symbolic link: refusing to write $1"
        [ -e "$at" ] || mkdir -m 700 "$at" 2>/dev/null
        [ -d "$at" ] && [ ! -L "$at" ] || fail 1 "$at is not a directory: refusing to write $1"
    done
    target=$at/$below
    [ -L "$target" ] && fail 1 "$target is a symbolic link: refusing to write $1"
    [ ! -e "$target" ] || [ -f "$target" ] || fail 1 "$target is not a regular file: refusing to write $1"
    random=$(od -An -N8 -tx1 /dev/urandom)
    part=$at/.$below.authrelay-$(printf '%s' $random).tmp
    if ! (set -C; umask 077; printf '%s' "$2" | base64 -d >"$part") 2>/dev/null; then
        [ -f "$part" ] && [ ! -L "$part" ] && rm -f "$part"
        fail 1 "cannot write $target"
    fi
    sync "$part" 2>/dev/null
    mv -f -T "$part" "$target" 2>/dev/null || { rm -f "$part"; fail 1 "cannot replace $target"; }
}

materialize() {
    # set here, not for every get: each $(...) is a fork
    c1=$(printf '\302[\200-\237]')     # C1 controls in UTF-8 (U+0080..U+009F)
    seps=$(printf '\342\200[\250\251]') # U+2028, U+2029
    check_delivery
    if [ ! -d "$home" ]; then
        (umask 077; mkdir -p "$home") || fail 1 "cannot create $home"
    fi
    written='' rest=$body$nl
    while [ -n "$rest" ]; do
        line=${rest%%"$nl"*} rest=${rest#*"$nl"}
        case $line in
            "file "*)
                fields=${line#file }
                decode_path "${fields%% *}"
                write_file "$path" "${fields#* }"
                written=$written${written:+, }$home/$path ;;
        esac
    done
    say "materialize $name: ${written:+wrote }${written:-no files to write}${expires:+ (expires $expires)}"
}

if [ "$op" = materialize ]; then
    case "$status" in
        200) materialize; exit 0 ;;
        000) fail 5 "broker unreachable at $url: is the daemon running?" ;;
        401|403|429) refusal; fail 4 "$reason" ;;
        404) refusal; fail 3 "$reason" ;;
        *) refusal; fail 1 "$reason" ;;
    esac
fi
case "$status" in
    200) printf '%s\n' "$body" ;;
    404) exit 0 ;;
    # GNU wget keeps no body for a 401: the status then stands for the message
    401|403|409) refusal; refuse "$reason" ;;
    000) refuse "broker unreachable at $url: is the daemon running?" ;;
    *) field message; refuse "the broker answered HTTP $status: $value" ;;
esac
exit 0
