# shellcheck shell=sh
# Sourced by bin/ scripts: sets AUTHRELAY_JAVA_HOME to a JDK >= 21, or exits with what to install; also sets
# authrelay_feature (21, 25...) and authrelay_runtime (the release file's JAVA_RUNTIME_VERSION, e.g. 25.0.1+8-LTS).
# Order: $JAVA_HOME, then java on PATH, then /usr/lib/jvm/* (newest first).

# Reads the release file of the JDK home $1 with shell builtins only (a fork costs ~1 ms on every command).
authrelay_read_release() {
    authrelay_feature='' authrelay_runtime=''
    [ -f "$1/release" ] || return 0
    while IFS='=' read -r key value; do
        value=${value#\"}
        value=${value%\"}
        case $key in
            JAVA_VERSION) authrelay_feature=${value%%[!0-9]*} ;;
            JAVA_RUNTIME_VERSION) authrelay_runtime=$value ;;
        esac
    done <"$1/release"
}

authrelay_java_feature() {
    # prints the feature release (17, 21, 25...) of the java binary in $1, or nothing.
    # The JDK's release file answers without starting a JVM; ask the JVM only when it is missing.
    home="$(dirname "$(dirname "$(readlink -f "$1")")")"
    if [ -f "$home/release" ]; then
        authrelay_read_release "$home"
        echo "$authrelay_feature"
    else
        "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
    fi
}

authrelay_find_java() {
    # The usual case, without a fork: JAVA_HOME is a full JDK >= 21 with a release file.
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        authrelay_read_release "$JAVA_HOME"
        if [ -n "$authrelay_feature" ] && [ "$authrelay_feature" -ge 21 ]; then
            AUTHRELAY_JAVA_HOME=$JAVA_HOME
            return 0
        fi
    fi
    for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null)" $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -r); do
        [ -n "$candidate" ] && [ -x "$candidate" ] || continue
        feature=$(authrelay_java_feature "$candidate")
        if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then
            # javac is needed too when we build; prefer a full JDK
            home=$(dirname "$(dirname "$(readlink -f "$candidate")")")
            if [ -x "$home/bin/javac" ]; then
                AUTHRELAY_JAVA_HOME=$home
                authrelay_read_release "$home"
                authrelay_feature=${authrelay_feature:-$feature}
                return 0
            fi
        fi
    done
    echo "authrelay: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm)." >&2
    echo "  install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, and/or set JAVA_HOME to it" >&2
    exit 1
}
