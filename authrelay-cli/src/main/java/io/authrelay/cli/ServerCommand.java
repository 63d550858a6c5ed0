package io.authrelay.cli;

import ch.qos.logback.classic.Level;
import io.authrelay.core.Durations;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.Daemon;
import io.authrelay.server.DaemonOptions;
import io.authrelay.server.ListenAddress;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.logging.LogFormat;
import io.authrelay.server.logging.Logging;
import io.authrelay.server.outbound.ProviderNetwork;
import io.authrelay.server.pty.SandboxMode;
import io.authrelay.server.relay.RelayLimitOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", description = "Run the authrelay daemon in the foreground.")
final class ServerCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--home", description = "Home directory (default: $AUTHRELAY_HOME, else ~/.authrelay).")
    Path home;

    @Option(
            names = "--listen",
            defaultValue = ListenAddress.DEFAULT,
            description = "HOST:PORT to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--db",
            description =
                    "JDBC URL of the database: jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DB?user=USER, the password in the file $AUTHRELAY_DB_PASSWORD_FILE names (default: $AUTHRELAY_DB_URL, else SQLite in the home).")
    String databaseUrl;

    @Option(names = "--tls-cert", description = "PEM certificate chain; required for non-loopback addresses.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM (PKCS#8) private key for --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--provider-ca-file",
            description = "PEM bundle of private CAs trusted, besides the JDK's, for calls to providers"
                    + " (default: $AUTHRELAY_PROVIDER_CA_FILE).")
    Path providerCaFile;

    @Option(names = "--insecure-listen", description = "Allow plain HTTP on a non-loopback address (logs a warning).")
    boolean insecureListen;

    @Option(
            names = "--refresh-margin",
            description =
                    "Refresh tokens this long before they expire (default: the larger of 10m and 10%% of the lifetime); e.g. 15m.")
    String refreshMargin;

    @Option(
            names = "--audit-retention",
            description =
                    "Delete audit events and finished logins older than this (default: 90d; each provider's latest login stays); 0 or never keeps them all.")
    String auditRetention;

    @Option(
            names = "--relay-concurrency",
            description = "Relayed requests one workspace may have in flight (default: "
                    + RelayLimitOptions.DEFAULT_CONCURRENT + ").")
    String relayConcurrency;

    @Option(
            names = "--relay-rate",
            description = "Relayed requests one workspace may send, sustained: N/s, N/m or N/h (default: "
                    + RelayLimitOptions.DEFAULT_RATE + ").")
    String relayRate;

    @Option(
            names = "--relay-burst",
            description = "Relayed requests one workspace may send at once above --relay-rate (default: "
                    + RelayLimitOptions.DEFAULT_BURST + ").")
    String relayBurst;

    @Option(names = "--log-format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(
            names = "--sandbox",
            defaultValue = "auto",
            description = "How AI-CLI logins are isolated: auto (bubblewrap when it works, else none, logged), bwrap"
                    + " (refuse to run without it) or none (default: ${DEFAULT-VALUE}).")
    String sandbox;

    @Option(
            names = "--log-level",
            defaultValue = "info",
            description = "error, warn, info or debug (default: ${DEFAULT-VALUE}).")
    String logLevel;

    private SandboxMode sandboxMode() {
        return switch (sandbox) {
            case "auto" -> SandboxMode.AUTO;
            case "bwrap" -> SandboxMode.BWRAP;
            case "none" -> SandboxMode.NONE;
            default -> throw new IllegalArgumentException("--sandbox must be auto, bwrap or none");
        };
    }

    /** The environment the daemon reads, with --provider-ca-file in the place of its variable. */
    private Map<String, String> environment() {
        if (providerCaFile == null) return context.env();
        Map<String, String> env = new HashMap<>(context.env());
        env.put(ProviderNetwork.CA_FILE_VARIABLE, providerCaFile.toString());
        return env;
    }

    ServerCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        LogFormat format = switch (logFormat) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new CliFailure(ExitCodes.USAGE, "--log-format must be text or json", null);
        };
        Logging.configure(format, Level.toLevel(logLevel, Level.INFO));
        DaemonOptions options;
        try {
            options = new DaemonOptions(
                    home,
                    ListenAddress.parse(listen),
                    databaseUrl,
                    tlsCert,
                    tlsKey,
                    insecureListen,
                    refreshMargin == null ? null : Durations.parse(refreshMargin),
                    PollPolicy.defaults(),
                    auditRetention == null ? null : Durations.parseOrNever(auditRetention),
                    sandboxMode(),
                    RelayLimitOptions.parse(relayConcurrency, relayRate, relayBurst));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage(), "see: authrelay server --help");
        }
        Termination termination = Termination.onSignals();
        Daemon daemon;
        try {
            daemon = Daemon.start(options, environment(), Clock.systemUTC());
        } catch (StartupRefusal e) {
            throw new CliFailure(ExitCodes.FAILED, "refusing to start: " + e.getMessage(), null);
        }
        termination.await(daemon.stopRequest());
        daemon.close();
        return ExitCodes.OK;
    }
}
