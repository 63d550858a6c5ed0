package io.authrelay.server.testing;

import io.authrelay.core.token.Tokens;
import io.authrelay.server.sql.Database;
import io.authrelay.server.vault.TinkVault;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Several replicas of the daemon on one PostgreSQL, as an operator runs them: one fresh database of {@link
 * TestPostgres} ({@code AUTHRELAY_DB_URL}, the password in {@code AUTHRELAY_DB_PASSWORD_FILE}), one keyset made up
 * front ({@code AUTHRELAY_KEYSET}), one provisioned admin token ({@code AUTHRELAY_ADMIN_TOKEN_FILE}), optionally one
 * provider simulator, and N real {@code authrelay server} processes, each a {@link TestBroker} with its own home and
 * port. Everything starts before each test (or once, on a static field) and stops after it; a failing test gets every
 * replica's log attached.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestReplicas replicas = TestReplicas.of(2).withSimulator(SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1));
 * ...
 * replicas.replica(0).send("POST", "/v1/logins", ...);
 * replicas.kill(0);
 * }</pre>
 */
public final class TestReplicas
        implements BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                TestExecutionExceptionHandler,
                AutoCloseable {
    private static final Pattern SCHEDULER_NAME = Pattern.compile("scheduler (replica-[0-9a-f]+) started");

    private final int count;
    private SimOptions simOptions;
    private final Map<String, String> daemonEnv = new LinkedHashMap<>();
    private boolean perClass;

    private Path dir;
    private String databaseUrl;
    private ProviderSimulator sim;
    private Path adminTokenFile;
    private final List<TestBroker> replicas = new ArrayList<>();

    private TestReplicas(int count) {
        if (count < 1) throw new IllegalArgumentException("at least one replica");
        this.count = count;
    }

    /** {@code count} replicas, started in order (the first one migrates the database). */
    public static TestReplicas of(int count) {
        return new TestReplicas(count);
    }

    public TestReplicas withSimulator(SimOptions options) {
        this.simOptions = options;
        return this;
    }

    /** An environment variable every replica gets. */
    public TestReplicas withDaemonEnv(String name, String value) {
        daemonEnv.put(name, value);
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

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) close();
    }

    /** What {@link #beforeEach} does: the shared parts, then every replica, started. */
    public TestReplicas open() throws IOException {
        dir = Files.createTempDirectory("authrelay-replicas-");
        databaseUrl = TestPostgres.freshDatabase();
        Path keyset = dir.resolve("keyset.json");
        // Made as the daemon makes its own, before any replica starts, so that none of them makes one.
        TinkVault.open(keyset, true);
        adminTokenFile = PrivateDirs.file(dir.resolve("admin.token"), Tokens.generate(Tokens.ADMIN_PREFIX) + "\n");
        Path password = PrivateDirs.file(dir.resolve("db-password"), TestPostgres.PASSWORD + "\n");
        if (simOptions != null) sim = ProviderSimulator.start(simOptions);
        for (int i = 0; i < count; i++) {
            TestBroker replica = TestBroker.process()
                    .onPostgres(databaseUrl)
                    .withDaemonEnv("AUTHRELAY_DB_PASSWORD_FILE", password.toString())
                    .withDaemonEnv("AUTHRELAY_KEYSET", keyset.toString())
                    .withDaemonEnv("AUTHRELAY_ADMIN_TOKEN_FILE", adminTokenFile.toString());
            daemonEnv.forEach(replica::withDaemonEnv);
            if (sim != null) replica.withSimulator(sim);
            replicas.add(replica);
            replica.open();
        }
        return this;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        for (int i = 0; i < replicas.size(); i++) {
            String log = replicas.get(i).log();
            if (!log.isEmpty()) {
                failure.addSuppressed(new AssertionError("replica " + i + " log:\n" + TestBroker.tail(log, 200)));
            }
        }
        throw failure;
    }

    @Override
    public void close() throws IOException {
        try {
            for (TestBroker replica : replicas) replica.close();
        } finally {
            replicas.clear();
            if (sim != null) sim.close();
            sim = null;
            if (databaseUrl != null) TestPostgres.drop(databaseUrl);
            databaseUrl = null;
            TestBroker.deleteTree(dir);
        }
    }

    // ------------------------------------------------------------------ the replicas

    public int size() {
        return replicas.size();
    }

    /** Replica {@code i}: its {@code send}/{@code expect}/{@code vend} helpers, home, port and log. */
    public TestBroker replica(int i) {
        return replicas.get(i);
    }

    /** SIGKILL, as a crash: its scheduled executions stay picked until another replica finds them dead. */
    public void kill(int i) {
        replica(i).kill();
    }

    /** Starts replica {@code i} again (after {@link #kill}), on its home and port. */
    public void start(int i) {
        replica(i).start();
    }

    public String url(int i) {
        return replica(i).url();
    }

    /**
     * The admin token replica {@code i} accepts: its home's {@code admin.token}, which the daemon writes as a copy of
     * the provisioned {@link #provisionedAdminTokenFile()} once it honours {@code AUTHRELAY_ADMIN_TOKEN_FILE}.
     */
    public String adminToken(int i) {
        return replica(i).adminToken();
    }

    /** The admin token file every replica is given ({@code AUTHRELAY_ADMIN_TOKEN_FILE}, 0600). */
    public Path provisionedAdminTokenFile() {
        return adminTokenFile;
    }

    /** Replica {@code i}'s scheduler name, as {@code scheduled_tasks.picked_by} shows it (from its log). */
    public String schedulerName(int i) {
        Matcher m = SCHEDULER_NAME.matcher(replica(i).log());
        String name = null;
        while (m.find()) name = m.group(1); // the latest start's
        if (name == null) throw new IllegalStateException("replica " + i + " logged no scheduler name");
        return name;
    }

    /**
     * The task instances ({@code poll-login}: session ids, {@code refresh-credential}: providers) whose executions
     * the scheduler named {@code schedulerName} has picked and not finished, in the database now.
     */
    public List<String> pickedBy(String schedulerName, String taskName) {
        try (Database db = openDatabase()) {
            return db.with(h -> h.createQuery("SELECT task_instance FROM scheduled_tasks"
                            + " WHERE task_name = :task AND picked AND picked_by = :by ORDER BY task_instance")
                    .bind("task", taskName)
                    .bind("by", schedulerName)
                    .mapTo(String.class)
                    .list());
        }
    }

    // ------------------------------------------------------------------ what they share

    public ProviderSimulator sim() {
        if (sim == null) throw new IllegalStateException("no simulator: use withSimulator(...)");
        return sim;
    }

    /** The shared database's JDBC URL (without its password, {@link TestPostgres#PASSWORD}). */
    public String databaseUrl() {
        return databaseUrl;
    }

    /** The shared database, opened beside the replicas; close it after use. */
    public Database openDatabase() {
        return Database.openPostgres(databaseUrl, TestPostgres.PASSWORD);
    }

    /** A private scratch directory that is removed after the test. */
    public Path dir() {
        return dir;
    }
}
