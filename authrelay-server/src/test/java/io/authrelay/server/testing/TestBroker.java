package io.authrelay.server.testing;

import io.authrelay.core.login.PollPolicy;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import tools.jackson.databind.JsonNode;

/**
 * One test's broker: a private home, optionally the provider simulator, and a real daemon (in this JVM, or as an
 * `authrelay server` process), with {@code send}/{@code expect} helpers and the real CLI. It owns the lifecycle:
 * everything starts before the test and stops after it, the temporary directory is removed, and a failing test gets
 * the daemon's log attached to its failure.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestBroker broker = TestBroker.process().withSimulator(SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1));
 * }</pre>
 */
public final class TestBroker
        implements BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                TestExecutionExceptionHandler,
                AutoCloseable {
    public enum Mode {
        IN_PROCESS,
        PROCESS
    }

    private final Mode mode;
    private SimOptions simOptions;
    /** A simulator the caller started and closes (replicas share one), or null. */
    private ProviderSimulator sharedSim;

    private java.util.function.Function<ProviderSimulator, String> providersYaml;
    private PollPolicy pollPolicy = PollPolicy.defaults();
    private final List<String> daemonArgs = new ArrayList<>();
    private SSLContext tls;
    private Path tlsCaFile;
    private final Map<String, String> daemonEnv = new HashMap<>();
    private boolean startsWithTest = true;
    private LocalUser user;
    private boolean onPostgres;
    /** A PostgreSQL database the caller made and drops (replicas share one), or null for a fresh one. */
    private String sharedPostgresUrl;
    /** The PostgreSQL database of this open (a fresh one each time), or null on SQLite. */
    private String postgresUrl;

    private Path dir;
    private Path home;
    private int port;
    private ProviderSimulator sim;
    private DaemonUnderTest daemon;
    private HttpClient http;
    private int starts;
    /** Registered on a static field: one broker for the whole class, for tests that only read and attack it. */
    private boolean perClass;

    private TestBroker(Mode mode) {
        this.mode = mode;
    }

    /** A daemon in the test's JVM: fast, for API-level tests. */
    public static TestBroker inProcess() {
        return new TestBroker(Mode.IN_PROCESS);
    }

    /** A daemon as a real process, driven by the real CLI: for tests of what a user runs. */
    public static TestBroker process() {
        return new TestBroker(Mode.PROCESS);
    }

    public TestBroker withSimulator(SimOptions options) {
        this.simOptions = options;
        return this;
    }

    /** A simulator the caller started, and stops after this broker: for several daemons at one provider. */
    public TestBroker withSimulator(ProviderSimulator shared) {
        this.sharedSim = shared;
        return this;
    }

    /** Written into the home (0600) before the daemon starts. */
    public TestBroker withProvidersYaml(String yaml) {
        this.providersYaml = sim -> yaml;
        return this;
    }

    /** Written into the home (0600) before the daemon starts, once the simulator (or null) is running. */
    public TestBroker withProvidersYaml(java.util.function.Function<ProviderSimulator, String> yaml) {
        this.providersYaml = yaml;
        return this;
    }

    public TestBroker withPollPolicy(PollPolicy policy) {
        this.pollPolicy = policy;
        return this;
    }

    /** Extra `authrelay server` arguments (process mode). */
    public TestBroker withDaemonArgs(String... args) {
        daemonArgs.addAll(List.of(args));
        return this;
    }

    /**
     * The daemon serves TLS with this PEM certificate and PKCS#8 key; this test's requests and the CLI
     * ({@code AUTHRELAY_CA_FILE}) trust {@code ca}, whose PEM is {@code caFile}.
     */
    public TestBroker withTls(Path certificate, Path key, SSLContext ca, Path caFile) {
        daemonArgs.addAll(List.of("--tls-cert=" + certificate, "--tls-key=" + key));
        this.tls = ca;
        this.tlsCaFile = caFile;
        return this;
    }

    public TestBroker withDaemonEnv(String name, String value) {
        daemonEnv.put(name, value);
        return this;
    }

    /**
     * The daemon and the CLI run as this local user (process mode), in a home that user owns; the test itself stays
     * root and can act as another user.
     */
    public TestBroker runningAs(LocalUser owner) {
        this.user = owner;
        return this;
    }

    /**
     * The daemon runs on a fresh database of the test JVM's PostgreSQL ({@link TestPostgres}) instead of SQLite in the
     * home, configured as an operator would: {@code AUTHRELAY_DB_URL} and a password in {@code
     * AUTHRELAY_DB_PASSWORD_FILE}.
     */
    public TestBroker onPostgres() {
        this.onPostgres = true;
        return this;
    }

    /**
     * The daemon runs on this database of {@link TestPostgres}, which the caller made and drops: for several daemons
     * on one database. Named through {@code AUTHRELAY_DB_URL}, as an operator configures replicas.
     */
    public TestBroker onPostgres(String sharedDatabase) {
        this.sharedPostgresUrl = sharedDatabase;
        return onPostgres();
    }

    /** The PostgreSQL database's JDBC URL (without its password, {@link TestPostgres#PASSWORD}); null on SQLite. */
    public String postgresUrl() {
        return postgresUrl;
    }

    /** The daemon runs on {@code database}: for suites parameterized over both. */
    public TestBroker on(TestDatabase database) {
        return database == TestDatabase.POSTGRESQL ? onPostgres() : this;
    }

    /** The test starts the daemon itself, with {@link #start()}, after preparing the home. */
    public TestBroker startedByTest() {
        this.startsWithTest = false;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClass = true;
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) open();
    }

    /** What {@link #beforeEach} does, for test engines without JUnit extensions (jqwik's containers). */
    public TestBroker open() throws IOException {
        dir = Files.createTempDirectory("authrelay-test-");
        home = dir.resolve("home");
        if (user != null) {
            // Others may pass through the scratch directory to their own files, but not list it.
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            user.own(PrivateDirs.directory(home));
            user.own(PrivateDirs.directory(dir.resolve("user-home")));
        }
        port = DaemonProcess.freePort();
        if (onPostgres) usePostgres();
        if (sharedSim != null) sim = sharedSim;
        else if (simOptions != null) sim = ProviderSimulator.start(simOptions);
        if (providersYaml != null) {
            PrivateDirs.file(PrivateDirs.directory(home).resolve("providers.yaml"), providersYaml.apply(sim));
        }
        if (startsWithTest) start();
        return this;
    }

    private void usePostgres() {
        runOn(sharedPostgresUrl != null ? sharedPostgresUrl : TestPostgres.freshDatabase());
    }

    /**
     * From the next {@link #start()} on, the daemon runs on this existing PostgreSQL database (one {@code authrelay
     * migrate} filled, say) with the same home and keyset; the database is dropped after the test.
     */
    public TestBroker movedToPostgres(String url) {
        if (daemon != null) throw new IllegalStateException("stop the daemon before moving it");
        runOn(url);
        return this;
    }

    /** The password file an operator would write for {@link TestPostgres#USER}; its path. */
    public Path postgresPasswordFile() {
        return PrivateDirs.file(dir.resolve("db-password"), TestPostgres.PASSWORD + "\n");
    }

    private void runOn(String url) {
        if (user != null) throw new IllegalStateException("onPostgres() runs the daemon as the test's own user");
        postgresUrl = url;
        // Replicas are handed one password file and one admin token file (TestReplicas); a lone broker writes its
        // own, afresh at each open, since its scratch directory is new.
        if (sharedPostgresUrl == null) {
            daemonEnv.put("AUTHRELAY_DB_PASSWORD_FILE", postgresPasswordFile().toString());
            // On a shared database the admin token is provisioned; the daemon copies it into its home.
            String adminToken =
                    io.authrelay.core.token.Tokens.generate(io.authrelay.core.token.Tokens.ADMIN_PREFIX) + "\n";
            daemonEnv.put(
                    "AUTHRELAY_ADMIN_TOKEN_FILE",
                    PrivateDirs.file(dir.resolve("provisioned-admin.token"), adminToken)
                            .toString());
        }
        // Both ways an operator names it: `authrelay server --db URL` for a process, AUTHRELAY_DB_URL in this JVM.
        if (mode == Mode.PROCESS && sharedPostgresUrl == null) {
            daemonArgs.removeIf(arg -> arg.startsWith("--db="));
            daemonArgs.add("--db=" + postgresUrl);
        } else {
            daemonEnv.put("AUTHRELAY_DB_URL", postgresUrl);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (daemon != null && !daemon.log().isEmpty()) {
            failure.addSuppressed(new AssertionError("daemon log:\n" + tail(daemon.log(), 200)));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) close();
    }

    @Override
    public void close() throws IOException {
        try {
            if (daemon != null) daemon.kill();
        } finally {
            daemon = null;
            if (sim != null && sim != sharedSim) sim.close();
            if (postgresUrl != null && sharedPostgresUrl == null) TestPostgres.drop(postgresUrl);
            postgresUrl = null;
            deleteTree(dir);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts the daemon (or starts it again after {@link #kill} or {@link #terminate}), on the same port and home. */
    public TestBroker start() {
        if (daemon != null) throw new IllegalStateException("the daemon is already running");
        if (user == null) PrivateDirs.directory(home);
        daemon = switch (mode) {
            case IN_PROCESS -> new InProcessDaemon(home, nextLog(), daemonEnv, pollPolicy);
            case PROCESS -> new DaemonProcess(user, home, port, nextLog(), userEnv(daemonEnv), daemonArgs, tls);
        };
        // A new client per daemon: kept-alive connections to a stopped daemon must not carry the next request.
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (tls != null) client.sslContext(tls);
        http = client.build();
        return this;
    }

    private Path nextLog() {
        return dir.resolve("daemon-" + ++starts + ".log");
    }

    public void kill() {
        daemon().kill();
        daemon = null;
    }

    public int terminate() {
        int exit = daemon().terminate();
        daemon = null;
        return exit;
    }

    /** Waits for a daemon that was asked to stop some other way (e.g. `authrelay stop`); its exit code. */
    public int awaitExit(java.time.Duration timeout) {
        int exit = daemon().awaitExit(timeout);
        daemon = null;
        return exit;
    }

    public void restart() {
        terminate();
        start();
    }

    // ------------------------------------------------------------------ what the test sees

    /** Starts the simulator from inside the test, for tests whose simulator options vary; stopped after the test. */
    public ProviderSimulator startSimulator(SimOptions options) {
        if (sim != null) throw new IllegalStateException("the simulator is already running");
        sim = ProviderSimulator.start(options);
        return sim;
    }

    public ProviderSimulator sim() {
        if (sim == null) throw new IllegalStateException("no simulator: use withSimulator(...)");
        return sim;
    }

    public Path home() {
        return home;
    }

    /** The daemon's database (SQLite in the home, or its PostgreSQL database), opened beside it; close it after use. */
    public io.authrelay.server.sql.Database openDatabase() {
        if (postgresUrl != null) {
            return io.authrelay.server.sql.Database.openPostgres(postgresUrl, TestPostgres.PASSWORD);
        }
        return io.authrelay.server.sql.Database.openSqlite(
                PrivateDirs.directory(home).resolve("authrelay.db"));
    }

    /** The home's database, read beside the daemon (SQLite only). */
    public HomeDatabase database() {
        if (postgresUrl != null) throw new IllegalStateException("database() reads SQLite; use openDatabase()");
        return new HomeDatabase(home.resolve("authrelay.db"));
    }

    /** A private scratch directory that is removed after the test. */
    public Path dir() {
        return dir;
    }

    /** The daemon's port; in process mode known before it starts (the test may start one through the CLI or MCP). */
    public int port() {
        if (daemon == null && mode == Mode.PROCESS) return port;
        return daemon().port();
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port();
    }

    public String adminToken() {
        try {
            return Files.readString(home.resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the daemon logged, all starts (in process: at WARN and above, see {@link InProcessDaemon}). */
    public String log() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("daemon-"))
                    .sorted()
                    .toList()) {
                all.append(Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    ProcessHandle daemonProcess() {
        return ((DaemonProcess) daemon()).handle();
    }

    private DaemonUnderTest daemon() {
        if (daemon == null) throw new IllegalStateException("the daemon is not running");
        return daemon;
    }

    // ------------------------------------------------------------------ HTTP

    /** As the admin, with a JSON body (or none). */
    public Reply send(String method, String path, String json) {
        return send(method, path, json, adminToken());
    }

    /** With {@code token} (or none), and a JSON body (or none). */
    public Reply send(String method, String path, String json, String token) {
        HttpRequest.Builder request = request(method, path, json, token);
        if (json != null) request.header("Content-Type", "application/json");
        return send(request);
    }

    /** In git's key=value format, as the sh helper sends it. */
    public Reply sendGitFormat(String path, String body, String token) {
        return send(request("POST", path, body, token)
                .header("Content-Type", "text/plain")
                .header("Accept", "text/plain"));
    }

    /** A request the test shapes itself (extra headers), against this daemon. */
    public HttpRequest.Builder request(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return request;
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * A request written byte for byte on a socket: for targets and headers an HTTP client would refuse to send
     * (malformed escapes, a foreign Host). Headers are {@code name, value} pairs.
     */
    public Reply sendRaw(String method, String rawTarget, String token, String... headers) {
        StringBuilder request = new StringBuilder(method + " " + rawTarget + " HTTP/1.1\r\n");
        boolean hostGiven = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            hostGiven |= headers[i].equalsIgnoreCase("Host");
        }
        if (!hostGiven) request.append("Host: 127.0.0.1:").append(port()).append("\r\n");
        if (token != null)
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        request.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            return RawResponse.parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Reply expect(int status, Reply reply) {
        if (reply.status() != status) throw new AssertionError("expected HTTP " + status + " but got " + reply);
        return reply;
    }

    /** Status and stable error code of an error answer. */
    public static Reply expectError(int status, String code, Reply reply) {
        expect(status, reply);
        if (!code.equals(reply.errorCode())) throw new AssertionError("expected error " + code + " but got " + reply);
        return reply;
    }

    // ------------------------------------------------------------------ the CLI

    /** The environment the CLI of this home's admin runs with. */
    public Map<String, String> cliEnv() {
        Map<String, String> env =
                new java.util.HashMap<>(Map.of("AUTHRELAY_URL", url(), "AUTHRELAY_HOME", home.toString()));
        if (tlsCaFile != null) env.put("AUTHRELAY_CA_FILE", tlsCaFile.toString());
        return userEnv(env);
    }

    /** The user the daemon runs as, or null for the test's own. */
    public LocalUser user() {
        return user;
    }

    public CliRun cli(String... args) {
        return Cli.run(user, cliEnv(), null, args);
    }

    public CliRun cliWithInput(String stdin, String... args) {
        return Cli.run(user, cliEnv(), stdin, args);
    }

    /** A process run as another user gets a HOME of its own, not root's. */
    private Map<String, String> userEnv(Map<String, String> env) {
        if (user == null) return env;
        Map<String, String> withHome = new HashMap<>(env);
        withHome.put("HOME", dir.resolve("user-home").toString());
        return withHome;
    }

    // ------------------------------------------------------------------ common steps

    /** Adds a static provider with a secret, for tests that need a credential but no login. */
    public void addStaticProvider(String name, String host, String secret) {
        expect(
                201,
                send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"" + name + "\",\"type\":\"static\",\"host\":\"" + host + "\"}"));
        expect(200, send("PUT", "/v1/credentials/" + name, "{\"secret\":\"" + secret + "\"}"));
    }

    /** Creates a workspace with these grants ({@code PROVIDER[=HOST[/PATHGLOB]]}) and returns its token. */
    public String createWorkspace(String name, String... grants) {
        String list =
                String.join(",", Stream.of(grants).map(g -> "\"" + g + "\"").toList());
        return expect(201, send("POST", "/v1/workspaces", "{\"name\":\"" + name + "\",\"grants\":[" + list + "]}"))
                .json()
                .path("token")
                .asString();
    }

    /** Creates an API token as the admin and returns it. */
    public String createApiToken(String name, String scope) {
        return expect(201, send("POST", "/v1/api-tokens", "{\"name\":\"" + name + "\",\"scope\":\"" + scope + "\"}"))
                .json()
                .path("token")
                .asString();
    }

    /** The provider of each grant a workspace holds, in order. */
    public List<String> grantedProviders(String workspace) {
        return expect(200, send("GET", "/v1/workspaces/" + workspace, null))
                .json()
                .path("grants")
                .valueStream()
                .map(grant -> grant.path("provider").asString())
                .toList();
    }

    /** What a workspace's git helper asks for: a credential for an https host (and a repository path, or null). */
    public Reply vend(String workspaceToken, String host, String path) {
        return send(
                "POST",
                "/v1/vend",
                "{\"protocol\":\"https\",\"host\":\"" + host + "\"" + (path == null ? "" : ",\"path\":\"" + path + "\"")
                        + "}",
                workspaceToken);
    }

    /**
     * A device login for {@code provider} that {@code sim} approves at once (as octocat), followed to its end; forced,
     * so a provider that is connected already logs in again.
     */
    public JsonNode loginApprovedBy(ProviderSimulator sim, String provider) {
        JsonNode started = expect(201, send("POST", "/v1/logins", "{\"provider\":\"" + provider + "\",\"force\":true}"))
                .json();
        sim.approve(started.path("user_code").asString(), "octocat");
        return awaitLoginEnd(started.path("session").asString(), Duration.ofSeconds(60));
    }

    /** Polls a login until it leaves pending/awaiting_user. */
    public JsonNode awaitLoginEnd(String session, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode login =
                    expect(200, send("GET", "/v1/logins/" + session, null)).json();
            String status = login.path("status").asString();
            if (!status.equals("pending") && !status.equals("awaiting_user")) return login;
            pause(100);
        }
        throw new AssertionError("login " + session + " did not end within " + timeout);
    }

    /** A loopback port that was free a moment ago, for a second server the test starts itself. */
    public static int freePort() {
        return DaemonProcess.freePort();
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
