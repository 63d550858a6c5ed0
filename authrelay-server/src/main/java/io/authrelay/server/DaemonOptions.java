package io.authrelay.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the daemon. {@code home} null means $AUTHRELAY_HOME or ~/.authrelay; TLS paths are
 * both set or both null; {@code insecureListen} permits plain HTTP on a non-loopback address;
 * {@code refreshMargin} null means the default (the larger of 10 minutes and 10% of a token's lifetime).
 */
public record DaemonOptions(
        Path home,
        ListenAddress listen,
        String databaseUrl,
        Path tlsCert,
        Path tlsKey,
        boolean insecureListen,
        Duration refreshMargin) {
    public static DaemonOptions loopback(Path home, int port) {
        return new DaemonOptions(home, new ListenAddress("127.0.0.1", port), null, null, null, false, null);
    }

    public DaemonOptions {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
    }

    public boolean tls() {
        return tlsCert != null;
    }
}
