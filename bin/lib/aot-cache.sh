# shellcheck shell=sh
# Sourced by bin/authrelay: the JDK's AOT cache (JDK 25+: JEP 483/514/515) of the CLI and of the daemon, which lets
# the JVM start with their classes already loaded and linked (docs/benchmarks.md, "Issue 14: start-up").
#
# Where: ${XDG_CACHE_HOME:-~/.cache}/authrelay/aot, a 0700 directory of this user; the files are 0600. A per-user cache
# directory rather than the daemon's home: the cache holds only code (it is trained on a throwaway home, see
# aot-train.sh), it is regenerated at will, one serves every home, and it stays out of the home's backups.
# Name: KIND-KEY.aot, KEY a hash of the class path's jars (content and names) and of the JDK (its path and
# JAVA_RUNTIME_VERSION), kept in dist/aot.key and recomputed when a jar is newer than that file or the JDK changed.
# A cache older than dist/aot.key is stale. A cache that is a symbolic link, not owned by this user, group or world
# writable, or in a directory that is any of these, is ignored; the JVM itself refuses one made for other jars or
# another JVM, and -Xlog keeps its complaints out of stdout (which scripts parse): the run goes on without a cache.
# A missing cache is trained in the background, niced, once at a time (a lock directory), after this command starts.
# AUTHRELAY_AOT=0 turns all of it off; AUTHRELAY_AOT=foreground trains before the command (packaging, benchmarks);
# AUTHRELAY_AOT_DEBUG=1 says on stderr which cache is used or why none is.

aot_say() { [ "${AUTHRELAY_AOT_DEBUG:-0}" != 1 ] || echo "authrelay: aot: $*" >&2; }

# authrelay_aot KIND: sets aot_flags to the JVM options that map KIND's cache (cli or server), or to nothing.
# Needs root, AUTHRELAY_JAVA_HOME, authrelay_feature, authrelay_runtime and aot_train_flags_cli/_server.
authrelay_aot() {
    aot_flags=''
    case ${AUTHRELAY_AOT:-1} in 0 | off | no | false) return 0 ;; esac
    if [ -z "$authrelay_feature" ] || [ "$authrelay_feature" -lt 25 ] || [ -z "$authrelay_runtime" ]; then
        aot_say "needs JDK 25 or newer"
        return 0
    fi
    aot_dir="${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/authrelay/aot"
    authrelay_aot_key || return 0
    aot_file="$aot_dir/$1-$aot_key.aot"
    case $aot_file in
        *[[:space:]*?[]*) aot_say "no cache: its path would split into several JVM options: $aot_file"; return 0 ;;
    esac
    if [ "${AUTHRELAY_AOT:-1}" = foreground ] && [ ! -f "$aot_file" ]; then
        authrelay_aot_train wait
    fi
    if [ ! -e "$aot_file" ] && [ ! -L "$aot_file" ]; then
        aot_say "no cache yet: $aot_file"
        authrelay_aot_train
        return 0
    fi
    if [ "$aot_keyfile" -nt "$aot_file" ]; then
        aot_say "stale (the jars or the JDK changed): $aot_file"
        authrelay_aot_train
        return 0
    fi
    authrelay_aot_private "$aot_file" || return 0
    aot_say "using $aot_file"
    aot_flags="-XX:AOTCache=$aot_file -Xlog:aot*=off -Xlog:cds*=off"
}

# True when $1 (a file in aot_dir) and aot_dir are this user's, no symbolic link, and writable by nobody else.
authrelay_aot_private() {
    for path in "$aot_dir" "$1"; do
        if [ -L "$path" ] || [ ! -O "$path" ]; then
            aot_say "ignored: $path is a symbolic link or not owned by this user"
            return 1
        fi
    done
    listing=$(ls -ldn -- "$aot_dir" "$1" 2>/dev/null) || return 1
    while read -r mode _; do
        case $mode in
            ?????-??-*) ;;
            *) aot_say "ignored: $aot_dir or $1 is writable by others ($mode)"; return 1 ;;
        esac
    done <<EOF
$listing
EOF
    return 0
}

# Sets aot_key and aot_keyfile from dist/aot.key, rewriting that file when a jar is newer or the JDK differs.
# False (no cache) when it cannot be read nor written: a read-only distribution would otherwise hash ~60 MB per run.
authrelay_aot_key() {
    aot_keyfile="$root/dist/aot.key"
    jdk="$AUTHRELAY_JAVA_HOME $authrelay_runtime"
    seen_jdk='' aot_key=''
    if [ -f "$aot_keyfile" ]; then
        { read -r seen_jdk && read -r aot_key; } <"$aot_keyfile" 2>/dev/null || aot_key=''
        [ "$seen_jdk" = "$jdk" ] || aot_key=''
        for jar in "$root"/dist/lib/*.jar; do
            [ "$jar" -nt "$aot_keyfile" ] && aot_key='' && break
        done
    fi
    [ -n "$aot_key" ] && return 0
    command -v sha256sum >/dev/null 2>&1 || { aot_say "sha256sum is missing"; return 1; }
    aot_key=$({ echo "$jdk"; cd "$root/dist/lib" && sha256sum -- *.jar; } | sha256sum) || aot_key=''
    aot_key=${aot_key%%[!0-9a-f]*}
    aot_key=${aot_key%"${aot_key#????????????????}"} # 16 hex digits name a build well enough
    [ "${#aot_key}" = 16 ] || return 1
    if ! { printf '%s\n%s\n' "$jdk" "$aot_key" >"$aot_keyfile.$$" && mv -f "$aot_keyfile.$$" "$aot_keyfile"; } 2>/dev/null; then
        rm -f "$aot_keyfile.$$" 2>/dev/null
        aot_say "cannot write $aot_keyfile: no cache"
        return 1
    fi
}

# Trains both caches (aot-train.sh) unless another run is at it: in the background, or first for AUTHRELAY_AOT=foreground.
authrelay_aot_train() {
    (umask 077 && mkdir -p "$aot_dir") 2>/dev/null || { aot_say "cannot create $aot_dir"; return 0; }
    authrelay_aot_private "$aot_dir" || return 0
    # a training that failed is not retried for these jars and JDK: it would cost its CPU on every command
    if [ -e "$aot_dir/failed-$aot_key" ]; then
        aot_say "training failed before for these jars; delete $aot_dir/failed-$aot_key to retry"
        return 0
    fi
    if ! mkdir -m 700 "$aot_dir/train.lock" 2>/dev/null; then
        # a lock left by a training that died (a reboot, a kill -9) is taken back after 10 minutes
        [ -n "$(find "$aot_dir/train.lock" -maxdepth 0 -mmin +10 2>/dev/null)" ] && rmdir "$aot_dir/train.lock" 2>/dev/null
        mkdir -m 700 "$aot_dir/train.lock" 2>/dev/null || { aot_say "another run is training"; return 0; }
    fi
    aot_say "training $aot_dir/*-$aot_key.aot"
    set -- "$root/bin/lib/aot-train.sh" "$AUTHRELAY_JAVA_HOME/bin/java" "$root" "$aot_dir" "$aot_key" \
        "$aot_train_flags_cli" "$aot_train_flags_server"
    if [ "${AUTHRELAY_AOT:-1}" = foreground ]; then
        sh "$@" </dev/null >/dev/null 2>&1 || aot_say "training failed"
    else
        nohup nice -n 10 sh "$@" </dev/null >/dev/null 2>&1 &
    fi
}
