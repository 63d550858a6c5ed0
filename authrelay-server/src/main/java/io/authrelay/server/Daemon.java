package io.authrelay.server;

import io.authrelay.core.apitoken.ApiTokenService;
import io.authrelay.core.clilogin.CliLoginService;
import io.authrelay.core.clilogin.CliRefreshGrant;
import io.authrelay.core.clilogin.DeliveryService;
import io.authrelay.core.clilogin.RefreshTickets;
import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.CredentialService;
import io.authrelay.core.credential.ProviderDeclaration;
import io.authrelay.core.login.Diagnoser;
import io.authrelay.core.login.LoginPoller;
import io.authrelay.core.login.LoginRecovery;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.login.PollStep;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.removal.ProviderRemoval;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.KeyRotation;
import io.authrelay.core.vault.SecretStore;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.WorkspaceGrants;
import io.authrelay.core.workspace.WorkspaceService;
import io.authrelay.server.clilogin.LiveDrivers;
import io.authrelay.server.clilogin.PtyCliRuns;
import io.authrelay.server.console.ConsoleGate;
import io.authrelay.server.console.ConsoleRoutes;
import io.authrelay.server.console.ConsoleSessions;
import io.authrelay.server.home.AdminTokenFile;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.home.ProvidersFile;
import io.authrelay.server.http.ApiRoutes;
import io.authrelay.server.http.ApiServer;
import io.authrelay.server.http.Authenticator;
import io.authrelay.server.http.Authorizer;
import io.authrelay.server.http.BrowserGuard;
import io.authrelay.server.http.HomeSocketListener;
import io.authrelay.server.http.RepeatLimiter;
import io.authrelay.server.http.VendHandler;
import io.authrelay.server.http.WrongTokens;
import io.authrelay.server.logging.LoggedAuditLog;
import io.authrelay.server.metrics.ActivityHistory;
import io.authrelay.server.metrics.CacheMetrics;
import io.authrelay.server.metrics.LoginMetrics;
import io.authrelay.server.metrics.RefreshMetrics;
import io.authrelay.server.metrics.VendMetrics;
import io.authrelay.server.oauth.CliTokenRefresher;
import io.authrelay.server.oauth.NimbusDeviceFlowClient;
import io.authrelay.server.oauth.OAuthEndpoints;
import io.authrelay.server.oauth.ProviderHttp;
import io.authrelay.server.outbound.ProviderNetwork;
import io.authrelay.server.pty.CliRunner;
import io.authrelay.server.relay.ApiUpstreams;
import io.authrelay.server.relay.CredentialRelay;
import io.authrelay.server.relay.RelayRouter;
import io.authrelay.server.replica.AdvertisedUrl;
import io.authrelay.server.replica.ReplicaRegistry;
import io.authrelay.server.replica.ReplicaStatus;
import io.authrelay.server.replica.SqlRunOwners;
import io.authrelay.server.scheduler.DbScheduler;
import io.authrelay.server.sql.AuditPruner;
import io.authrelay.server.sql.CacheNotifications;
import io.authrelay.server.sql.Database;
import io.authrelay.server.sql.LoginHistoryPruner;
import io.authrelay.server.sql.QueuedAuditLog;
import io.authrelay.server.sql.SqlAdminCredential;
import io.authrelay.server.sql.SqlApiTokenRepository;
import io.authrelay.server.sql.SqlCredentialRepository;
import io.authrelay.server.sql.SqlLoginSessionRepository;
import io.authrelay.server.sql.SqlProviderRepository;
import io.authrelay.server.sql.SqlSealedSecretRepository;
import io.authrelay.server.sql.SqlTimeline;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the adapters around the domain and runs the HTTP API until {@link #close()}. */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /**
     * Polls and refreshes wait on the network, not the CPU: at 10-20 ms of wall time per poll (provider round trip
     * plus ~7 statements), 16 threads cap the scheduler near 1,000 polls/s, and 10,000 pending logins need 1,667/s
     * (docs/benchmarks.md, "Pending device-flow logins"). The SQLite pool stays at 4: 2 capped the throughput, 8
     * made the WAL grow faster. 48 is the most at once, not what an idle daemon keeps: the scheduler's pool starts
     * threads only when every one it has is busy and ends them after 30 s idle ({@code ElasticExecutor}), so an idle
     * daemon holds one or two.
     */
    private static final int SCHEDULER_THREADS = 48;
    /** Rows per delete when pruning the audit log or the login history: a few milliseconds of SQLite's write lock each. */
    private static final int PRUNE_BATCH = 1_000;

    private final Database database;
    private final DbScheduler scheduler;
    private final QueuedAuditLog auditRows;
    private final ReplicaRegistry replicas;
    private final CacheNotifications cacheNotifications;
    private final Javalin http;
    private final StopRequest stop;
    private final ActivityHistory activity;

    private Daemon(
            Database database,
            DbScheduler scheduler,
            QueuedAuditLog auditRows,
            ReplicaRegistry replicas,
            CacheNotifications cacheNotifications,
            Javalin http,
            StopRequest stop,
            ActivityHistory activity) {
        this.database = database;
        this.scheduler = scheduler;
        this.auditRows = auditRows;
        this.replicas = replicas;
        this.cacheNotifications = cacheNotifications;
        this.http = http;
        this.stop = stop;
        this.activity = activity;
    }

    public static Daemon start(DaemonOptions options, Map<String, String> env, Clock clock) {
        options.validate();
        ProviderNetwork network = ProviderNetwork.from(env);
        DaemonHome home = DaemonHome.resolve(options.home(), env);
        DatabaseTarget target = options.database(env, home.database());
        home.prepare();
        Database database = target.open();
        ReplicaRegistry replicas = new ReplicaRegistry(database, clock);
        DbScheduler scheduler = new DbScheduler(database, clock, replicas.id());
        CacheNotifications cacheNotifications = CacheNotifications.start(database);
        QueuedAuditLog auditRows = new QueuedAuditLog(database);
        StopRequest stop = new StopRequest();
        try {
            Api api = wire(options, env, network, home, target, database, replicas, scheduler, auditRows, clock, stop);
            Javalin http = listen(options, home, api);
            String advertised = AdvertisedUrl.resolve(env, options, http.port());
            // The console's one-time links name the address people reach this replica at, when it has one.
            if (advertised != null) api.ownOrigin().set(advertised);
            replicas.start(advertised);
            // the activity ticker's thread only once serving
            return new Daemon(
                    database,
                    scheduler,
                    auditRows,
                    replicas,
                    cacheNotifications,
                    http,
                    stop,
                    api.activity().start());
        } catch (RuntimeException e) {
            auditRows.close();
            scheduler.close();
            if (cacheNotifications != null) cacheNotifications.close();
            replicas.close();
            database.close();
            throw e;
        }
    }

    /** What the HTTP server serves: the routes, the check of who calls them, and the meters. */
    private record Api(
            Authenticator authenticator,
            Authorizer authorizer,
            PrometheusMeterRegistry metrics,
            ApiRoutes routes,
            ConsoleRoutes console,
            ActivityHistory activity,
            AtomicReference<String> ownOrigin,
            CredentialRelay relay,
            VendHandler vends) {}

    private static Api wire(
            DaemonOptions options,
            Map<String, String> env,
            ProviderNetwork network,
            DaemonHome home,
            DatabaseTarget target,
            Database database,
            ReplicaRegistry replicas,
            DbScheduler scheduler,
            QueuedAuditLog auditRows,
            Clock clock,
            StopRequest stop) {
        var sealed = new SqlSealedSecretRepository(database, clock);
        TinkVault vault = VaultBootstrap.open(home, sealed, target.shared());
        var adminToken =
                AdminTokenFile.open(home, new SqlAdminCredential(database), database, clock, env, database.isShared());
        var secrets = new SecretStore(vault, sealed);
        replicas.reportPrimaryKeyOf(vault);
        var keyRotation = new KeyRotation(vault, vault, sealed, target.shared(), replicas::otherPrimaries);
        var audit = new LoggedAuditLog(auditRows.immediate());
        var providerRepository = new SqlProviderRepository(database);
        var credentialRepository = new SqlCredentialRepository(database);
        var sessions = new SqlLoginSessionRepository(database);
        var providerHttp = new ProviderHttp(network);
        var oauth = new NimbusDeviceFlowClient(clock, providerHttp);
        var providersFile = new ProvidersFile(home.dir());
        LiveDrivers drivers = providersFile.drivers();
        var providers = new ProviderService(
                providerRepository, new OAuthEndpoints(providerHttp), drivers, audit, database, clock);
        var context = new ServiceContext(providers, secrets, new SqlTimeline(database), audit, database, clock);
        var writer = new ConnectionWriter(credentialRepository, secrets);
        providersFile.apply(new ProviderDeclaration(context, providerRepository, writer));

        PrometheusMeterRegistry metrics = meterRegistry();
        CacheMetrics.bind(metrics, database.caches());
        var refresher = new CredentialRefresher(
                context,
                credentialRepository,
                writer,
                new CliRefreshGrant(oauth::refresh, new CliTokenRefresher(clock, providerHttp), drivers),
                scheduler,
                new RefreshMetrics(metrics),
                options.refreshPolicy());
        var auditPruner = new AuditPruner(database, options.auditRetention(), clock, PRUNE_BATCH);
        var loginPruner = new LoginHistoryPruner(database, options.auditRetention(), clock, PRUNE_BATCH);
        var poller = new LoginPoller(
                context,
                sessions,
                writer,
                oauth,
                refresher,
                new LoginMetrics(metrics, sessions, scheduler),
                options.pollPolicy());
        PtyCliRuns cliRuns = cliRuns(options, home, clock);
        var cliLogins = new CliLoginService(
                context,
                sessions,
                credentialRepository,
                writer,
                refresher,
                drivers,
                cliRuns,
                new SqlRunOwners(database, replicas));
        scheduler.start(
                new DbScheduler.Work() {
                    @Override
                    public PollStep poll(String sessionId) {
                        return poller.poll(sessionId);
                    }

                    @Override
                    public Optional<Instant> refresh(String provider) {
                        return refresher.refreshAhead(provider);
                    }

                    @Override
                    public void pruneAudit() {
                        auditPruner.prune();
                    }

                    @Override
                    public void pruneLogins() {
                        loginPruner.prune();
                    }

                    @Override
                    public void endOrphanRuns() {
                        int ended = cliLogins.failOrphans();
                        if (ended > 0) log.warn("{} AI-CLI logins ended failed: their replica stopped", ended);
                    }
                },
                database.dataSource(),
                SCHEDULER_THREADS);
        // Before polls are resumed: a CLI login's run died with the previous daemon, and no poll can finish it.
        int orphans = cliLogins.failOrphans();
        if (orphans > 0)
            log.warn("{} AI-CLI logins ended failed: their runs stopped with the previous daemon", orphans);
        int resumed = new LoginRecovery(sessions, credentialRepository, refresher, scheduler, clock).resume();
        if (resumed > 0) log.info("resumed {} pending logins", resumed);

        var workspaceRepository = new SqlWorkspaceRepository(database);
        var workspaceGrants = new WorkspaceGrants(context, workspaceRepository, credentialRepository);
        var workspaces = new WorkspaceService(context, workspaceRepository, workspaceGrants);
        var tickets = new RefreshTickets(secrets);
        tickets.ensureKey();
        var apiTokens = new ApiTokenService(context, new SqlApiTokenRepository(database));
        // Vends are the hot path: their audit rows are queued and committed in batches by one writer thread.
        var vendAudit = new LoggedAuditLog(auditRows);
        var vending = new VendService(
                context.withAudit(vendAudit), credentialRepository, refresher, new VendMetrics(metrics));
        var browsers =
                new BrowserGuard(options.listen().host(), options.listen().isLoopback(), options.tls());
        var consoleSessions = new ConsoleSessions(database, clock);
        var consoleGate = new ConsoleGate(consoleSessions, options.tls());
        // one budget of wrong tokens per address for the API and the relay alike
        var wrongTokens =
                new WrongTokens(new RepeatLimiter(clock, Duration.ofMinutes(1), 5, 20), audit, clock, metrics);
        var authenticator = new Authenticator(
                adminToken::hash, workspaces, apiTokens, wrongTokens, browsers, consoleGate, audit, clock, metrics);
        var routes = new ApiRoutes(
                providers,
                new ProviderRemoval(
                        context,
                        providerRepository,
                        credentialRepository,
                        writer,
                        sessions,
                        workspaceRepository,
                        scheduler,
                        scheduler),
                providersFile,
                new CredentialService(context, credentialRepository, writer, refresher, oauth, scheduler),
                new LoginService(context, sessions, credentialRepository, oauth, scheduler),
                cliLogins,
                new Diagnoser(context, sessions, credentialRepository, scheduler),
                scheduler,
                workspaces,
                workspaceGrants,
                vending,
                new DeliveryService(context, vending, credentialRepository, drivers, workspaces, tickets),
                apiTokens,
                audit,
                keyRotation,
                adminToken,
                metrics,
                clock,
                () -> ApiRoutes.readiness(
                        database.isHealthy(),
                        VaultBootstrap.canDecrypt(secrets),
                        keyRotation.keysNotHeld().isEmpty()),
                daemonFacts(
                        options, home, target, cliRuns, network, new ReplicaStatus(replicas, database.caches(), clock)),
                stop::request);
        var ownOrigin = new AtomicReference<String>(); // known once the port is bound
        var activity = new ActivityHistory(metrics, clock);
        var console = new ConsoleRoutes(consoleSessions, consoleGate, ownOrigin::get, audit, activity, clock);
        // Relayed requests are audited like vends (queued), one row each.
        var relay = new CredentialRelay(
                workspaces,
                vending,
                options.relayLimits(),
                wrongTokens,
                vendAudit,
                clock,
                metrics,
                network,
                browsers,
                new ApiUpstreams(providers, drivers));
        return new Api(
                authenticator,
                new Authorizer(audit, clock),
                metrics,
                routes,
                console,
                activity,
                ownOrigin,
                relay,
                new VendHandler(workspaces, vending, browsers, metrics));
    }

    private static java.util.function.Supplier<Map<String, Object>> daemonFacts(
            DaemonOptions options,
            DaemonHome home,
            DatabaseTarget target,
            PtyCliRuns cliRuns,
            ProviderNetwork network,
            ReplicaStatus replicas) {
        Map<String, Object> fixed = Map.of(
                "home",
                home.dir().toString(),
                "database",
                target.kind(),
                "tls",
                options.tls(),
                "cli_sandbox",
                cliRuns.sandbox(),
                "providers_network",
                network.describe());
        return () -> {
            Map<String, Object> facts = new java.util.LinkedHashMap<>(fixed);
            facts.putAll(replicas.facts());
            return facts;
        };
    }

    /** Runs live in private homes under the daemon's home, wiped at every start (a crash may have left one). */
    private static PtyCliRuns cliRuns(DaemonOptions options, DaemonHome home, Clock clock) {
        Path runs = home.dir().resolve("runs");
        CliRunner.wipeLeftovers(runs);
        return new PtyCliRuns(new CliRunner(home.dir().resolve("native")), runs, home.dir(), options.sandbox(), clock);
    }

    private static PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        return metrics;
    }

    private static Javalin listen(DaemonOptions options, DaemonHome home, Api api) {
        Javalin app = ApiServer.create(
                api.authenticator(),
                api.authorizer(),
                api.metrics(),
                config -> {
                    // TCP first: Javalin reports the port of the first connector.
                    config.jetty.addConnector((server, httpConfig) -> Listeners.tcp(server, httpConfig, options));
                    config.jetty.addConnector(
                            (server, httpConfig) -> HomeSocketListener.connector(server, httpConfig, home.socket()));
                    // Inside the graceful stop, beside the API: /relay/ on the same listener, TLS and port.
                    config.jetty.modifyServer(server -> {
                        GracefulHandler graceful = server.getDescendant(GracefulHandler.class);
                        graceful.insertHandler(new RelayRouter(api.relay()));
                        // vends skip Javalin's dispatch; inside the graceful stop too, so a stop waits for them
                        graceful.insertHandler(api.vends());
                    });
                },
                Stream.concat(api.routes().groups().stream(), Stream.of(api.console()::register))
                        .toList());
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
        String host = options.listen().host();
        api.ownOrigin()
                .set((options.tls() ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                        + app.port());
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

    /** Asked to stop, by a signal handler or by an admin through the API. */
    public StopRequest stopRequest() {
        return stop;
    }

    public int port() {
        return http.port();
    }

    /** Stops accepting, lets in-flight requests finish, then closes the database. */
    @Override
    public void close() {
        http.stop();
        auditRows.close(); // after the last request, before the database: every vend's row is written
        activity.close();
        scheduler.close();
        if (cacheNotifications != null) cacheNotifications.close();
        replicas.close();
        database.close();
    }
}
