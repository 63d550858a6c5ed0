package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.server.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vend path's queued audit: nothing appended is lost on a clean stop or a failed write, and reads see it all. */
class QueuedAuditLogTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Actor WORKSPACE = new Actor("workspace:build", "127.0.0.1");

    @TempDir
    Path dir;

    private Database db;
    private QueuedAuditLog audit;

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("authrelay.db"));
        audit = new QueuedAuditLog(db);
    }

    @AfterEach
    void close() {
        audit.close();
        db.close();
    }

    @Test
    void aCleanStopWritesEveryRowAppendedFromManyThreadsEachThreadsInOrder() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> appending = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            appending.add(threads.submit(() -> {
                for (int i = 0; i < 500; i++) audit.append(NOW, WORKSPACE, "vend", "gh", "ok", thread + ":" + i);
            }));
        }
        for (Future<?> f : appending) f.get(60, TimeUnit.SECONDS);
        threads.shutdown();
        audit.close();

        List<String> details = db.with(h -> h.createQuery("SELECT detail FROM audit_event ORDER BY id")
                .mapTo(String.class)
                .list());
        assertThat(details).hasSize(2_000);
        for (int t = 0; t < 4; t++) {
            String prefix = t + ":";
            List<String> mine =
                    details.stream().filter(s -> s.startsWith(prefix)).toList();
            assertThat(mine).hasSize(500);
            for (int i = 0; i < 500; i++) assertThat(mine.get(i)).isEqualTo(prefix + i);
        }
        assertThatThrownBy(() -> audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "late"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReadSeesEveryRowAppendedBeforeItThroughEitherFace() {
        for (int i = 0; i < 50; i++) audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "n" + i);
        assertThat(audit.since(NOW.minusSeconds(1), 1_000)).hasSize(50);
        audit.immediate().append(NOW, WORKSPACE, "workspace.revoke", "build", "ok", null);
        audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "last");
        List<AuditEvent> seen = audit.immediate().since(NOW.minusSeconds(1), 1_000);
        assertThat(seen).hasSize(52);
        assertThat(seen.getLast().detail()).isEqualTo("last");
    }

    @Test
    void whileRowsCannotBeWrittenVendsAreRefusedAndNoRowIsLost() {
        audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "before");
        assertThat(audit.since(NOW.minusSeconds(1), 10)).hasSize(1);
        db.with(h -> h.execute("ALTER TABLE audit_event RENAME TO audit_event_away"));

        // Its commit fails, so this vend is refused too; its row stays queued and is written once the table is back.
        assertThatThrownBy(() -> audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "queued while failing"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("audit_unavailable"));
        assertThatThrownBy(() -> audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "refused"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("audit_unavailable"));

        db.with(h -> h.execute("ALTER TABLE audit_event_away RENAME TO audit_event"));
        Await.until(() -> !refuses(audit));
        audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "after");
        assertThat(audit.since(NOW.minusSeconds(1), 1_000))
                .filteredOn(e -> e.action().equals("vend"))
                .extracting(AuditEvent::detail)
                .containsExactly("before", "queued while failing", "after");
    }

    @Test
    void anAppendReturnsOnlyOnceItsRowIsCommitted() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("authrelay.db"))) {
            other.setAutoCommit(false);
            other.createStatement()
                    .execute("INSERT INTO audit_event (at, actor, action, result) VALUES (1, 'x', 'hold', 'ok')");
            // The write lock is held: the writer thread cannot commit the row, so the vend must not be answered yet.
            CompletableFuture<Void> vend =
                    CompletableFuture.runAsync(() -> audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "waits"));
            Thread.sleep(300);
            assertThat(vend).isNotDone();
            other.rollback();
            vend.get(30, TimeUnit.SECONDS);
        }
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("authrelay.db"));
                ResultSet rs = reader.createStatement().executeQuery("SELECT detail FROM audit_event")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("waits");
        }
    }

    @Test
    void insideATransactionTheRowCommitsOrRollsBackWithIt() {
        try {
            db.inTransaction(() -> {
                audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "rolled back");
                throw new IllegalStateException("the caller's work failed");
            });
        } catch (IllegalStateException expected) {
            // the row went with it
        }
        db.inTransaction(() -> {
            audit.append(NOW, WORKSPACE, "vend", "gh", "ok", "committed");
            return null;
        });
        assertThat(audit.since(NOW.minusSeconds(1), 10))
                .extracting(AuditEvent::detail)
                .containsExactly("committed");
    }

    /** A probe append that is refused, or accepted (then it is written once the table is back). */
    private static boolean refuses(QueuedAuditLog audit) {
        try {
            audit.append(NOW, WORKSPACE, "probe", "gh", "ok", null);
            return false;
        } catch (DomainException refused) {
            return true;
        }
    }
}
