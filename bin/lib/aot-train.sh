#!/bin/sh
# aot-train.sh JAVA ROOT DIR KEY CLI_FLAGS SERVER_FLAGS: writes DIR/server-KEY.aot and DIR/cli-KEY.aot, the JDK 25 AOT
# caches of the daemon and of the CLI, then removes DIR/train.lock (taken by aot-cache.sh). Started by bin/authrelay.
#
# No secret may reach a cache, so the training handles none: a daemon on a new throwaway home (its own new keyset, no
# provider, no credential), listening on 127.0.0.1 on a free port, and `authrelay status --json` against it, with
# HOME pointing there and the environment that could name the user's own daemon, token or database removed. What the
# JVM archives is what these two runs loaded (classes, their linkage, and heap objects of JDK classes it knows to be
# safe), nothing from a real home. The caches are written 0600 under a temporary name and renamed into place, so a
# reader sees a whole file or none. A training that fails leaves DIR/failed-KEY (why, and the end of the throwaway
# daemon's log), so that it is not tried again on every command (a new build has a new KEY).
set -u
umask 077
java=$1 root=$2 dir=$3 key=$4 cli_flags=$5 server_flags=$6
cp="$root/dist/lib/*"
# The home's daemon.sock must fit a Unix socket's path (108 bytes): a long TMPDIR gives way to /tmp.
base=${TMPDIR:-/tmp}
[ "${#base}" -le 60 ] || base=/tmp
tmp=$(mktemp -d "$base/authrelay-aot.XXXXXX") || { rmdir "$dir/train.lock"; exit 1; }
daemon=''
ok='' why='interrupted'
cleanup() {
    [ -n "$ok" ] || { echo "$why"; tail -n 20 "$tmp/server.log" 2>/dev/null; } >"$dir/failed-$key"
    [ -z "$daemon" ] || kill -KILL "$daemon" 2>/dev/null
    rm -rf "$tmp"
    rm -f "$dir/server-$key.aot.$$"* "$dir/cli-$key.aot.$$"* # with the JVM's *.config of an unfinished run
    rmdir "$dir/train.lock" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

unset AUTHRELAY_URL AUTHRELAY_TOKEN AUTHRELAY_CONFIG AUTHRELAY_DB_URL AUTHRELAY_DB_PASSWORD_FILE AUTHRELAY_JAVA_OPTS \
    XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME
export HOME="$tmp" AUTHRELAY_HOME="$tmp/home"

# shellcheck disable=SC2086 # the flags are lists of options
"$java" $server_flags -XX:AOTCacheOutput="$dir/server-$key.aot.$$" -cp "$cp" io.authrelay.cli.Main \
    server --home "$tmp/home" --listen 127.0.0.1:0 >"$tmp/server.log" 2>&1 &
daemon=$!
tries=0
until [ -S "$tmp/home/daemon.sock" ]; do
    tries=$((tries + 1))
    why='the daemon did not start within 120 s'
    [ "$tries" -le 600 ] && kill -0 "$daemon" 2>/dev/null || exit 1
    sleep 0.2
done
why='the CLI run (status --json) failed'
# shellcheck disable=SC2086
"$java" $cli_flags -XX:AOTCacheOutput="$dir/cli-$key.aot.$$" -cp "$cp" io.authrelay.cli.Main status --json \
    >/dev/null 2>&1 || exit 1
kill -TERM "$daemon" # the JVM writes its cache as it exits
why='the daemon did not exit 0 on SIGTERM'
wait "$daemon" || exit 1
daemon=''
why='the JVM wrote no cache'
for kind in server cli; do
    [ -s "$dir/$kind-$key.aot.$$" ] || exit 1
done
for kind in server cli; do
    chmod 600 "$dir/$kind-$key.aot.$$" && mv -f "$dir/$kind-$key.aot.$$" "$dir/$kind-$key.aot"
done
ok=1
# Caches of other builds pile up with every rebuild (~90 MB a build): the newest four builds' stay, for other
# checkouts of this user; older ones, and any made over 30 days ago, are dropped (made again when needed).
ls -t "$dir"/server-*.aot 2>/dev/null | tail -n +5 | while IFS= read -r old; do
    old_key=${old##*/server-}
    old_key=${old_key%.aot}
    rm -f "$dir/server-$old_key.aot" "$dir/cli-$old_key.aot" "$dir/failed-$old_key"
done
find "$dir" -maxdepth 1 \( -name '*.aot' -o -name 'failed-*' \) -mtime +30 -exec rm -f {} + 2>/dev/null
exit 0
