package io.authrelay.server;

import java.nio.file.Path;

/**
 * How to run the daemon. {@code home} null means $AUTHRELAY_HOME or ~/.authrelay; TLS paths are
 * both set or both null; {@code insecureListen} permits plain HTTP on a non-loopback address.
 */
public record DaemonOptions(Path home, ListenAddress listen, String databaseUrl, Path tlsCert, Path tlsKey, boolean insecureListen) {
    public DaemonOptions {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
    }

    public boolean tls() {
        return tlsCert != null;
    }
}
