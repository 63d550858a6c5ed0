package io.authrelay.server;

import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.CredentialService;
import io.authrelay.core.credential.RefreshPolicy;
import io.authrelay.core.login.Diagnoser;
import io.authrelay.core.login.LoginPoller;
import io.authrelay.core.login.LoginRecovery;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.vault.KeyRotation;
import io.authrelay.core.vault.SecretStore;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.WorkspaceService;
import io.authrelay.server.home.AdminTokenFile;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.home.ProvidersFile;
import io.authrelay.server.http.ApiRoutes;
import io.authrelay.server.http.ApiServer;
import io.authrelay.server.http.AuthFailureLimiter;
import io.authrelay.server.http.Authenticator;
import io.authrelay.server.http.BrowserGuard;
import io.authrelay.server.http.HomeSocketListener;
import io.authrelay.server.metrics.LoginMetrics;
import io.authrelay.server.metrics.VendMetrics;
import io.authrelay.server.oauth.NimbusDeviceFlowClient;
import io.authrelay.server.oauth.OAuthEndpoints;
import io.authrelay.server.scheduler.DbLoginScheduler;
import io.authrelay.server.sql.Database;
import io.authrelay.server.sql.GroupCommitAuditLog;
import io.authrelay.server.sql.SqlAdminCredential;
import io.authrelay.server.sql.SqlAuditLog;
import io.authrelay.server.sql.SqlCredentialRepository;
import io.authrelay.server.sql.SqlLoginEventLog;
import io.authrelay.server.sql.SqlLoginSessionRepository;
import io.authrelay.server.sql.SqlProviderRepository;
import io.authrelay.server.sql.SqlSealedSecretRepository;
import io.authrelay.server.sql.SqlWorkspaceRepository;
import io.authrelay.server.vault.TinkVault;
import io.authrelay.server.vault.VaultBootstrap;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the adapters around the domain and runs the HTTP API until {@link #stop()}. */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /**
     * Polls and refreshes wait on the network, not the CPU: at 10-20 ms of wall time per poll (provider round trip
     * plus ~7 statements), 16 threads cap the scheduler near 1,000 polls/s, and 10,000 pending logins need 1,667/s
     * (docs/benchmarks.md, "Pending device-flow logins (issue 3)"). The SQLite pool stays at 4: 2 capped the
     * throughput, 8 made the WAL grow faster.
     */
    private static final int SCHEDULER_THREADS = 48;

    private final Database database;
    private final DbLoginScheduler scheduler;
    private final Javalin http;

    private Daemon(Database database, DbLoginScheduler scheduler, Javalin http) {
        this.database = database;
        this.scheduler = scheduler;
        this.http = http;
    }

    public static Daemon start(DaemonOptions options, Map<String, String> env, Clock clock) {
        return start(options, env, clock, PollPolicy.defaults());
    }

    /** With a custom poll policy: tests and benchmarks use short backoffs to reach "failed" in seconds. */
    public static Daemon start(DaemonOptions options, Map<String, String> env, Clock clock, PollPolicy pollPolicy) {
        DaemonHome home = DaemonHome.resolve(options.home(), env);
        home.prepare();
        if (!options.listen().isLoopback() && !options.tls()) {
            if (!options.insecureListen()) {
                throw new StartupRefusal(
                        "refusing to listen on non-loopback " + options.listen().host()
                                + " without TLS: pass --tls-cert and --tls-key, or --insecure-listen to accept plain HTTP");
            }
            log.warn(
                    "listening on non-loopback {} WITHOUT TLS (--insecure-listen): tokens cross the network in clear text",
                    options.listen().host());
        }
        if (options.databaseUrl() != null && !options.databaseUrl().startsWith("jdbc:sqlite:")) {
            throw new StartupRefusal("only SQLite (jdbc:sqlite:PATH) is supported in this version; got "
                    + options.databaseUrl().replaceAll("//.*@", "//***@"));
        }
        Database database = Database.openSqlite(
                options.databaseUrl() == null
                        ? home.database()
                        : java.nio.file.Path.of(options.databaseUrl().substring("jdbc:sqlite:".length())));
        DbLoginScheduler scheduler = new DbLoginScheduler(database, clock);
        try {
            return new Daemon(
                    database, scheduler, startServices(options, home, database, scheduler, clock, pollPolicy));
        } catch (RuntimeException e) {
            scheduler.close();
            database.close();
            throw e;
        }
    }

    private static Javalin startServices(
            DaemonOptions options,
            DaemonHome home,
            Database database,
            DbLoginScheduler scheduler,
            Clock clock,
            PollPolicy pollPolicy) {
        var sealed = new SqlSealedSecretRepository(database, clock);
        TinkVault vault = VaultBootstrap.open(home, sealed);
        String adminHash = AdminTokenFile.ensure(home, new SqlAdminCredential(database), clock);
        var secrets = new SecretStore(vault, sealed);
        var audit = new SqlAuditLog(database);
        var credentialsRepo = new SqlCredentialRepository(database);
        var sessions = new SqlLoginSessionRepository(database);
        var events = new SqlLoginEventLog(database);
        var oauth = new NimbusDeviceFlowClient(clock);
        var providers = new ProviderService(
                new SqlProviderRepository(database),
                credentialsRepo,
                secrets,
                new OAuthEndpoints(),
                audit,
                database,
                clock);
        ProvidersFile.apply(home.dir(), providers);

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        var observer = new LoginMetrics(metrics, sessions, scheduler);

        RefreshPolicy policy = options.refreshMargin() == null
                ? RefreshPolicy.defaults()
                : new RefreshPolicy(
                        options.refreshMargin(),
                        0.0,
                        RefreshPolicy.defaults().skew(),
                        RefreshPolicy.defaults().initialCooldown(),
                        RefreshPolicy.defaults().maximumCooldown());
        var refresher = new CredentialRefresher(
                providers,
                credentialsRepo,
                secrets,
                oauth,
                scheduler,
                events,
                audit,
                observer,
                database,
                clock,
                policy);
        var credentials = new CredentialService(
                providers, credentialsRepo, secrets, refresher, oauth, scheduler, audit, database, clock);
        var logins = new LoginService(providers, sessions, secrets, oauth, scheduler, events, audit, database, clock);
        var poller = new LoginPoller(
                providers,
                sessions,
                secrets,
                new ConnectionWriter(credentialsRepo, secrets),
                oauth,
                scheduler,
                refresher,
                events,
                audit,
                observer,
                database,
                clock,
                pollPolicy);
        scheduler.start(
                new DbLoginScheduler.Work() {
                    @Override
                    public Optional<Instant> poll(String sessionId) {
                        return poller.pollOnce(sessionId);
                    }

                    @Override
                    public Optional<Instant> refresh(String provider) {
                        return refresher.refreshAhead(provider);
                    }
                },
                database.dataSource(),
                SCHEDULER_THREADS);
        int resumed = new LoginRecovery(sessions, credentialsRepo, refresher, scheduler, clock).resume();
        if (resumed > 0) log.info("resumed {} pending logins", resumed);

        var keyRotation = new KeyRotation(vault, vault, sealed);
        var workspaces = new WorkspaceService(new SqlWorkspaceRepository(database), providers, audit, database, clock);
        // Vends are the hot path: their audit rows are group-committed (each vend still waits for its row).
        var vending = new VendService(
                providers,
                credentialsRepo,
                refresher,
                events,
                new GroupCommitAuditLog(database),
                new VendMetrics(metrics),
                clock);
        // The guard compares Host and Origin with the port actually bound, known once the server listens.
        var listening = new AtomicReference<Javalin>();
        var browsers = new BrowserGuard(
                options.listen().host(),
                options.listen().isLoopback(),
                options.tls(),
                () -> listening.get().port());
        var authenticator = new Authenticator(
                () -> adminHash,
                workspaces,
                new AuthFailureLimiter(clock, Duration.ofMinutes(1), 5, 20),
                browsers,
                audit,
                clock,
                metrics);
        var routes = new ApiRoutes(
                providers,
                credentials,
                logins,
                new Diagnoser(providers, sessions, credentialsRepo, events, scheduler, clock),
                scheduler,
                workspaces,
                vending,
                audit,
                keyRotation,
                metrics,
                clock,
                () -> ApiRoutes.readiness(database.isHealthy(), VaultBootstrap.canDecrypt(secrets)),
                Map.of("home", home.dir().toString(), "database", "sqlite", "tls", options.tls()));
        Javalin app = ApiServer.create(
                authenticator,
                metrics,
                config -> {
                    // TCP first: Javalin reports the port of the first connector.
                    config.jetty.addConnector((server, httpConfig) -> Listeners.tcp(server, httpConfig, options));
                    config.jetty.addConnector(
                            (server, httpConfig) -> HomeSocketListener.connector(server, httpConfig, home.socket()));
                },
                routes.groups());
        listening.set(app);
        HomeSocketListener.claim(home.socket());
        try {
            app.start();
        } catch (RuntimeException e) {
            if (causedBy(e, BindException.class)) {
                throw new StartupRefusal(
                        "cannot listen on " + options.listen().host() + ":"
                                + options.listen().port()
                                + ": the port is in use (is another authrelay running?); choose another with --listen",
                        e);
            }
            throw e;
        }
        HomeSocketListener.restrict(home.socket());
        log.info(
                "authrelay listening on {}://{}:{} (home {})",
                options.tls() ? "https" : "http",
                options.listen().host(),
                app.port(),
                home.dir());
        return app;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    public int port() {
        return http.port();
    }

    /** Stops accepting, lets in-flight requests finish, then closes the database. */
    @Override
    public void close() {
        http.stop();
        scheduler.close();
        database.close();
    }
}
