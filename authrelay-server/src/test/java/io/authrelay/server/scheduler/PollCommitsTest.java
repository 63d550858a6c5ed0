package io.authrelay.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.authrelay.core.login.PollStep;
import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.Await;
import io.authrelay.server.testing.TestDatabase;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Polls that finish together are written together: each poll's outcome and its {@code poll-login} row's next run
 * commit in one transaction, a poll whose writes fail is rolled back alone, a batch cut short writes nothing and its
 * logins are polled again, and replicas sharing a database never poll one login at once or twice.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class PollCommitsTest {
    private static final Instant LATER = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    private final TestDatabase kind;

    @TempDir
    Path dir;

    PollCommitsTest(TestDatabase kind) {
        this.kind = kind;
    }

    @Test
    void aBatchWritesEachOutcomeWithItsRowAndRollsBackAFailingPollAlone() {
        try (Database db = kind.open(dir)) {
            createEffects(db);
            scheduleNotDue(db, List.of("goes-on", "ends", "fails", "also-goes-on"));
            Instant next = LATER.plusSeconds(60);
            PollCommits commits = new PollCommits(db, DbScheduler.jdbcFor(db), Clock.systemUTC());

            List<RuntimeException> failures = commits.writeTogether(List.of(
                    poll(db, "goes-on", () -> Optional.of(next)),
                    poll(db, "ends", Optional::empty),
                    poll(db, "fails", () -> {
                        throw new IllegalStateException("the provider's answer could not be stored");
                    }),
                    poll(db, "also-goes-on", () -> Optional.of(next))));

            assertThat(failures.get(2)).hasMessageContaining("could not be stored");
            assertThat(failures).filteredOn(f -> f != null).hasSize(1);
            assertThat(effects(db)).containsExactlyInAnyOrder("goes-on", "ends", "also-goes-on");
            Map<String, Row> rows = rows(db);
            assertThat(rows).doesNotContainKey("ends");
            assertThat(rows.get("goes-on")).isEqualTo(new Row(next, 2, false));
            assertThat(rows.get("also-goes-on")).isEqualTo(new Row(next, 2, false));
            // Untouched: db-scheduler retries it as any failed run.
            assertThat(rows.get("fails")).isEqualTo(new Row(LATER, 1, false));
        }
    }

    @Test
    void aBatchCutShortWritesNothingAndItsLoginsArePolledAgain() {
        try (Database db = kind.open(dir)) {
            createEffects(db);
            List<String> logins = List.of("a", "b", "c");
            scheduleNotDue(db, logins);
            PollCommits commits = new PollCommits(db, DbScheduler.jdbcFor(db), Clock.systemUTC());

            // The process dies half-way: the second poll's writes never finish, the transaction never commits.
            assertThatThrownBy(() -> commits.writeTogether(List.of(
                            poll(db, "a", () -> Optional.of(LATER)),
                            poll(db, "b", () -> {
                                throw new OutOfMemoryError("simulated crash");
                            }),
                            poll(db, "c", () -> Optional.of(LATER)))))
                    .isInstanceOf(OutOfMemoryError.class);
            assertThat(effects(db)).isEmpty();
            assertThat(rows(db).values()).extracting(Row::version).containsOnly(1L);

            // As the crashed replica left them: picked, with a heartbeat long stopped.
            markPickedByDeadReplica(db, logins);
            Polls polls = new Polls();
            try (DbScheduler survivor = started(db, "survivor", new RecordingWork(polls, "survivor", db, 1))) {
                Await.until(() -> effects(db).size() == logins.size());
            }
            assertThat(polls.counts)
                    .containsOnlyKeys(logins)
                    .allSatisfy((login, count) -> assertThat(count.get()).isOne());
            assertThat(effects(db)).containsExactlyInAnyOrderElementsOf(logins);
            assertThat(rows(db)).isEmpty();
        }
    }

    @Test
    void twoReplicasNeverPollOneLoginAtOnceNorTwice() {
        int polls = 3;
        List<String> logins =
                IntStream.range(0, 120).mapToObj(i -> "login-" + i).toList();
        String url = kind == TestDatabase.POSTGRESQL ? TestPostgres.freshDatabase() : null;
        try (Database first = open(url);
                Database second = open(url)) {
            createEffects(first);
            Polls work = new Polls();
            try (DbScheduler a = started(first, "replica-a", new RecordingWork(work, "replica-a", first, polls));
                    DbScheduler b = started(second, "replica-b", new RecordingWork(work, "replica-b", second, polls))) {
                Instant now = Instant.now();
                for (int i = 0; i < logins.size(); i++) (i % 2 == 0 ? a : b).schedulePoll(logins.get(i), now);
                Await.until(() -> effects(first).size() == logins.size() * polls);
            }
            assertThat(work.overlaps).isEmpty();
            assertThat(work.counts)
                    .containsOnlyKeys(logins)
                    .allSatisfy((login, count) -> assertThat(count.get()).isEqualTo(polls));
            assertThat(work.replicas).containsExactlyInAnyOrder("replica-a", "replica-b");
            assertThat(rows(first)).isEmpty();
        }
    }

    private Database open(String postgresUrl) {
        return postgresUrl == null
                ? Database.openSqlite(dir.resolve("authrelay.db"))
                : Database.openPostgres(postgresUrl, TestPostgres.PASSWORD);
    }

    private static DbScheduler started(Database db, String replica, DbScheduler.Work work) {
        DbScheduler scheduler = new DbScheduler(db, Clock.systemUTC(), replica);
        scheduler.start(work, db.dataSource(), 8);
        return scheduler;
    }

    /** Creates the rows as the daemon does, not due, with the scheduler stopped again so none is picked. */
    private static void scheduleNotDue(Database db, List<String> logins) {
        try (DbScheduler scheduler = started(db, "setup", new RecordingWork(new Polls(), "setup", db, 1))) {
            logins.forEach(login -> scheduler.schedulePoll(login, LATER));
        }
    }

    /** A poll whose step records its login in {@code poll_effects} and then decides with {@code next}. */
    private static PollCommits.Poll poll(Database db, String login, Supplier<Optional<Instant>> next) {
        long version = rows(db).get(login).version();
        Execution execution = new Execution(
                LATER, new TaskInstance<>("poll-login", login), true, "test", null, null, 0, Instant.now(), version);
        return new PollCommits.Poll(execution, PollStep.continuing(() -> {
            recordEffect(db, login);
            return next.get();
        }));
    }

    private static void createEffects(Database db) {
        db.with(h -> h.execute("CREATE TABLE poll_effects (login VARCHAR(100) NOT NULL)"));
    }

    private static void recordEffect(Database db, String login) {
        db.with(h -> h.execute("INSERT INTO poll_effects (login) VALUES (?)", login));
    }

    private static List<String> effects(Database db) {
        return db.with(h -> h.createQuery("SELECT login FROM poll_effects")
                .mapTo(String.class)
                .list());
    }

    private static void markPickedByDeadReplica(Database db, List<String> logins) {
        JdbcCustomization jdbc = DbScheduler.jdbcFor(db);
        onConnection(db, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE scheduled_tasks SET picked = ?, picked_by = ?, last_heartbeat = ?, execution_time = ?
                    WHERE task_name = 'poll-login' AND task_instance = ?""")) {
                for (String login : logins) {
                    ps.setBoolean(1, true);
                    ps.setString(2, "crashed-replica");
                    jdbc.setInstant(ps, 3, Instant.now().minus(1, ChronoUnit.HOURS));
                    jdbc.setInstant(ps, 4, Instant.now().minus(1, ChronoUnit.HOURS));
                    ps.setString(5, login);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private record Row(Instant executionTime, long version, boolean picked) {}

    private static Map<String, Row> rows(Database db) {
        JdbcCustomization jdbc = DbScheduler.jdbcFor(db);
        return onConnection(db, c -> {
            Map<String, Row> rows = new HashMap<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT * FROM scheduled_tasks WHERE task_name = 'poll-login'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(
                            rs.getString("task_instance"),
                            new Row(
                                    jdbc.getInstant(rs, "execution_time"),
                                    rs.getLong("version"),
                                    rs.getBoolean("picked")));
                }
            }
            return rows;
        });
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private static <T> T onConnection(Database db, SqlWork<T> work) {
        return db.with(h -> {
            try {
                return work.run(h.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** What every replica's polls did: who polled what, how often, and any login polled while a poll of it was unwritten. */
    private static final class Polls {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final Set<String> overlaps = ConcurrentHashMap.newKeySet();
        final Set<String> replicas = ConcurrentHashMap.newKeySet();
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    }

    /**
     * One replica's polls: each login is polled {@code pollsPerLogin} times (the next one due at once), then ended;
     * each poll records its login in that replica's database, inside the batch's transaction.
     */
    private static final class RecordingWork extends PollsOnlyWork {
        private final Polls polls;
        private final String replica;
        private final Database db;
        private final int pollsPerLogin;

        RecordingWork(Polls polls, String replica, Database db, int pollsPerLogin) {
            this.polls = polls;
            this.replica = replica;
            this.db = db;
            this.pollsPerLogin = pollsPerLogin;
        }

        @Override
        public PollStep poll(String login) {
            if (!polls.inFlight.add(login)) polls.overlaps.add(login);
            polls.replicas.add(replica);
            int n = polls.counts
                    .computeIfAbsent(login, l -> new AtomicInteger())
                    .incrementAndGet();
            return PollStep.continuing(() -> {
                recordEffect(db, login);
                // Before the commit: no other poll of this login can start until the row is committed free.
                polls.inFlight.remove(login);
                return n < pollsPerLogin ? Optional.of(Instant.now()) : Optional.empty();
            });
        }
    }
}
