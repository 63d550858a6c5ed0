# shellcheck shell=sh
# Sourced by bin/ scripts: sets AUTHRELAY_JAVA_HOME to a JDK >= 21, or exits with what to install.
# Order: $JAVA_HOME, then java on PATH, then /usr/lib/jvm/* (newest first).

authrelay_java_feature() {
    # prints the feature release (17, 21, 25...) of the java binary in $1, or nothing.
    # The JDK's release file answers without starting a JVM; ask the JVM only when it is missing.
    release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
    if [ -f "$release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1
    else
        "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
    fi
}

authrelay_find_java() {
    for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null)" $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -r); do
        [ -n "$candidate" ] && [ -x "$candidate" ] || continue
        feature=$(authrelay_java_feature "$candidate")
        if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then
            # javac is needed too when we build; prefer a full JDK
            home=$(dirname "$(dirname "$(readlink -f "$candidate")")")
            if [ -x "$home/bin/javac" ]; then
                AUTHRELAY_JAVA_HOME=$home
                return 0
            fi
        fi
    done
    echo "authrelay: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm)." >&2
    echo "  install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, and/or set JAVA_HOME to it" >&2
    exit 1
}
