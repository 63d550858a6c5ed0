package io.authrelay.server;

import io.authrelay.core.credential.RefreshPolicy;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.pty.SandboxMode;
import io.authrelay.server.relay.RelayLimitOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to run the daemon. {@code home} null means $AUTHRELAY_HOME or ~/.authrelay; TLS paths are
 * both set or both null; {@code insecureListen} permits plain HTTP on a non-loopback address;
 * {@code refreshMargin} null means the default (the larger of 10 minutes and 10% of a token's lifetime);
 * {@code pollPolicy} says how long a login tolerates transient poll failures; {@code auditRetention} is how long audit
 * events and finished logins are kept (null means {@link #DEFAULT_AUDIT_RETENTION}, zero keeps them all);
 * {@code relayLimits} are the credential relay's per-workspace limits (null means {@link RelayLimitOptions#defaults}).
 */
public record DaemonOptions(
        Path home,
        ListenAddress listen,
        String databaseUrl,
        Path tlsCert,
        Path tlsKey,
        boolean insecureListen,
        Duration refreshMargin,
        PollPolicy pollPolicy,
        Duration auditRetention,
        SandboxMode sandbox,
        RelayLimitOptions relayLimits) {
    private static final Logger log = LoggerFactory.getLogger(DaemonOptions.class);
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(90);

    public DaemonOptions {
        if (auditRetention == null) auditRetention = DEFAULT_AUDIT_RETENTION;
        if (sandbox == null) sandbox = SandboxMode.AUTO;
        if (relayLimits == null) relayLimits = RelayLimitOptions.defaults();
        if (auditRetention.isNegative()) throw new IllegalArgumentException("the audit retention cannot be negative");
    }

    public static DaemonOptions loopback(Path home, int port) {
        return new DaemonOptions(
                home,
                new ListenAddress("127.0.0.1", port),
                null,
                null,
                null,
                false,
                null,
                PollPolicy.defaults(),
                null,
                null,
                null);
    }

    /** Tests and benchmarks use short backoffs to reach "failed" in seconds. */
    public DaemonOptions withPollPolicy(PollPolicy policy) {
        return new DaemonOptions(
                home,
                listen,
                databaseUrl,
                tlsCert,
                tlsKey,
                insecureListen,
                refreshMargin,
                policy,
                auditRetention,
                sandbox,
                relayLimits);
    }

    /** Refuses options the daemon must not start with; warns when plain HTTP on the network was asked for. */
    public void validate() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new StartupRefusal("--tls-cert and --tls-key go together");
        }
        if (!listen.isLoopback() && !tls()) {
            if (!insecureListen) {
                throw new StartupRefusal("refusing to listen on non-loopback " + listen.host()
                        + " without TLS: pass --tls-cert and --tls-key, or --insecure-listen to accept plain HTTP");
            }
            log.warn(
                    "listening on non-loopback {} WITHOUT TLS (--insecure-listen): tokens cross the network in clear text",
                    listen.host());
        }
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /** The database: the one --db names, else $AUTHRELAY_DB_URL's, else SQLite in the home. */
    public DatabaseTarget database(Map<String, String> env, Path homeDatabase) {
        return DatabaseTarget.resolve(databaseUrl, env, homeDatabase);
    }

    public RefreshPolicy refreshPolicy() {
        RefreshPolicy defaults = RefreshPolicy.defaults();
        if (refreshMargin == null) return defaults;
        return new RefreshPolicy(
                refreshMargin, 0.0, defaults.skew(), defaults.initialCooldown(), defaults.maximumCooldown());
    }
}
