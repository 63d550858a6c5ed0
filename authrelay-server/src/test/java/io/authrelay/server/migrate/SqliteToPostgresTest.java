package io.authrelay.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.vault.SecretRef;
import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestPostgres;
import io.authrelay.server.vault.TinkVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copier on a real SQLite file and a real PostgreSQL: values converted by the target column's type (db-scheduler's
 * BIT, times and BLOB), sealed bytes unchanged, identity sequences moved past the copied ids, and a copy that fails
 * half-way leaves the target exactly as it was.
 */
class SqliteToPostgresTest {
    @RegisterExtension
    static final TestPostgres postgres = new TestPostgres();

    @TempDir
    Path dir;

    private Path sqlite;
    private Map<String, String> env;
    private TinkVault vault;
    private byte[] sealed;

    @BeforeEach
    void home() {
        Path home = PrivateDirs.directory(dir.resolve("home"));
        sqlite = home.resolve("authrelay.db");
        env = Map.of(
                "AUTHRELAY_DB_PASSWORD_FILE",
                PrivateDirs.file(dir.resolve("db-password"), TestPostgres.PASSWORD)
                        .toString());
        vault = TinkVault.open(home.resolve("keyset.json"), true);
        SecretRef ref = SecretRef.credentialAccess("forge");
        sealed = vault.seal("forge-secret".getBytes(StandardCharsets.UTF_8), ref);
        try (Database db = Database.openSqlite(sqlite)) {
            db.with(h -> {
                h.execute(
                        "INSERT INTO provider (name, kind, host, created_at) VALUES ('forge', 'static', 'git.forge.test', 1)");
                h.execute(
                        "INSERT INTO credential (provider, state, updated_at, refreshable) VALUES ('forge', 'connected', 1, 1)");
                h.execute(
                        "INSERT INTO sealed_secret (owner_kind, owner_id, field, key_id, ciphertext, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, 1)",
                        ref.ownerKind(),
                        ref.ownerId(),
                        ref.field(),
                        vault.keyIdOf(sealed),
                        sealed);
                for (int i = 0; i < 3; i++) {
                    h.execute(
                            "INSERT INTO audit_event (at, actor, action, result) VALUES (?, 'admin', 'test', 'ok')", i);
                }
                h.execute(
                        "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked,"
                                + " picked_by, last_heartbeat, version) VALUES ('refresh-credential', 'forge', ?, ?, 1,"
                                + " 'replica-1', ?, 7)",
                        new byte[] {0, 1, 2, (byte) 255},
                        1_765_000_000_123L,
                        1_765_000_000_456L);
                return null;
            });
        }
    }

    @Test
    void valuesArriveAsTheTargetColumnsDeclareThemAndSealedBytesUnchanged() throws Exception {
        String url = TestPostgres.freshDatabase();
        byte[] before = Files.readAllBytes(sqlite);
        List<Path> homeBefore = listing(sqlite.getParent());
        SqliteToPostgres.Report report =
                SqliteToPostgres.run(new SqliteToPostgres.Request(sqlite, url, null, false), env);

        assertThat(Files.readAllBytes(sqlite)).as("the source is only read").isEqualTo(before);
        // A read-only connection cannot remove the WAL files it opened; the WAL stays empty, nothing was written.
        assertThat(listing(sqlite.getParent())).containsAll(homeBefore).hasSizeLessThanOrEqualTo(homeBefore.size() + 2);
        Path wal = sqlite.resolveSibling("authrelay.db-wal");
        if (Files.exists(wal)) assertThat(Files.size(wal)).isZero();

        assertThat(report.secretsChecked()).isEqualTo(1);
        assertThat(report.tables()).allSatisfy(t -> assertThat(t.target()).isEqualTo(t.source()));
        try (Database target = Database.openPostgres(url, TestPostgres.PASSWORD)) {
            target.with(h -> {
                Map<String, Object> task = h.createQuery("SELECT * FROM scheduled_tasks")
                        .mapToMap()
                        .one();
                assertThat(task.get("picked")).isEqualTo(true);
                assertThat((byte[]) task.get("task_data")).containsExactly(0, 1, 2, 255);
                assertThat(instant(task.get("execution_time"))).isEqualTo(Instant.ofEpochMilli(1_765_000_000_123L));
                assertThat(instant(task.get("last_heartbeat"))).isEqualTo(Instant.ofEpochMilli(1_765_000_000_456L));
                assertThat(task.get("version")).isEqualTo(7L);
                assertThat(h.createQuery("SELECT refreshable FROM credential")
                                .mapTo(Integer.class)
                                .one())
                        .isEqualTo(1);
                assertThat(h.createQuery("SELECT ciphertext FROM sealed_secret")
                                .mapTo(byte[].class)
                                .one())
                        .isEqualTo(sealed);
                h.execute("INSERT INTO audit_event (at, actor, action, result) VALUES (9, 'admin', 'after', 'ok')");
                assertThat(maxAuditId(h)).isEqualTo(4);
                return null;
            });
        }
    }

    @Test
    void aCopyThatFailsHalfWayLeavesTheTargetAsItWas() {
        String url = TestPostgres.freshDatabase();
        SqliteToPostgres.run(new SqliteToPostgres.Request(sqlite, url, null, false), env);
        try (Database db = Database.openSqlite(sqlite)) {
            db.with(h -> {
                h.execute(
                        "INSERT INTO provider (name, kind, host, created_at) VALUES ('second', 'static', 'b.test', 2)");
                // SQLite accepts it; PostgreSQL's scheduled_tasks (copied after provider) refuses a null time.
                return h.execute("INSERT INTO scheduled_tasks (task_name, task_instance, picked, version)"
                        + " VALUES ('poll-login', 'l1', 0, 1)");
            });
        }

        assertThatThrownBy(() -> SqliteToPostgres.run(new SqliteToPostgres.Request(sqlite, url, null, true), env))
                .isInstanceOf(CopyRefusal.class)
                .hasMessageContaining("the target is unchanged");
        try (Database target = Database.openPostgres(url, TestPostgres.PASSWORD)) {
            assertThat(target.<java.util.List<String>>with(h -> h.createQuery("SELECT name FROM provider")
                            .mapTo(String.class)
                            .list()))
                    .containsExactly("forge");
            assertThat(target.<Long>with(h -> h.createQuery("SELECT COUNT(*) FROM scheduled_tasks")
                            .mapTo(Long.class)
                            .one()))
                    .isEqualTo(1);
        }
    }

    @Test
    void aDaemonWritingToTheTargetDuringTheCheckIsSeenAndTheCopyRefused() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (Database schemaOnly = Database.openPostgres(url, TestPostgres.PASSWORD)) {
            assertThat(schemaOnly.<Long>with(h -> h.createQuery("SELECT COUNT(*) FROM provider")
                            .mapTo(Long.class)
                            .one()))
                    .isZero();
        }
        try (var daemon = java.sql.DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD)) {
            daemon.setAutoCommit(false);
            daemon.createStatement()
                    .execute(
                            "INSERT INTO provider (name, kind, host, created_at) VALUES ('live', 'static', 'l.test', 1)");
            var migration = java.util.concurrent.CompletableFuture.runAsync(
                    () -> SqliteToPostgres.run(new SqliteToPostgres.Request(sqlite, url, null, false), env));
            awaitASessionWaitingForALock(daemon);
            daemon.commit();

            assertThatThrownBy(migration::join)
                    .hasCauseInstanceOf(CopyRefusal.class)
                    .hasMessageContaining("already holds data {provider=1}");
        }
        try (Database target = Database.openPostgres(url, TestPostgres.PASSWORD)) {
            assertThat(target.<List<String>>with(h -> h.createQuery("SELECT name FROM provider")
                            .mapTo(String.class)
                            .list()))
                    .containsExactly("live");
        }
    }

    /** The migration has checked nothing yet: it waits for the lock the uncommitted insert holds. */
    private static void awaitASessionWaitingForALock(java.sql.Connection observer) throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            try (var watcher = java.sql.DriverManager.getConnection(
                            observer.getMetaData().getURL(), TestPostgres.USER, TestPostgres.PASSWORD);
                    var rs = watcher.createStatement()
                            .executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                    + " AND datname = current_database()")) {
                rs.next();
                if (rs.getLong(1) > 0) return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the migration never waited for the target's tables");
    }

    @Test
    void aKeysetThatCannotOpenTheSourceIsRefusedBeforeTheTargetIsTouched() {
        String url = TestPostgres.freshDatabase();
        Path other = dir.resolve("other-keyset.json");
        TinkVault.open(other, true);

        assertThatThrownBy(() -> SqliteToPostgres.run(new SqliteToPostgres.Request(sqlite, url, other, false), env))
                .isInstanceOf(CopyRefusal.class)
                .hasMessageContaining("wrong keyset")
                .hasMessageNotContaining("forge-secret");
        try (var c = java.sql.DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
                var rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> listing(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static long maxAuditId(Handle h) {
        return h.createQuery("SELECT MAX(id) FROM audit_event")
                .mapTo(Long.class)
                .one();
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime time) return time.toInstant();
        return ((java.sql.Timestamp) value).toInstant();
    }
}
