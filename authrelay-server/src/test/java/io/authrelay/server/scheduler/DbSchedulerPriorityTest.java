package io.authrelay.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.Priority;
import io.authrelay.core.login.PollStep;
import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The heartbeat is fetched ahead of every due poll, so a backlog of polls cannot make a busy scheduler look dead; also
 * in a database written before priorities, whose rows db-scheduler never updates.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class DbSchedulerPriorityTest {
    private static final Instant LATER = Instant.now().plusSeconds(3600);

    private final TestDatabase kind;

    @TempDir
    Path dir;

    DbSchedulerPriorityTest(TestDatabase kind) {
        this.kind = kind;
    }

    @Test
    void theHeartbeatOutranksPollsAlsoInRowsWrittenBeforePriorities() {
        try (Database db = kind.open(dir)) {
            try (DbScheduler first = started(db)) {
                first.schedulePoll("session-1", LATER);
                assertThat(priorities(db)).containsEntry("scheduler-heartbeat", Priority.HIGH);
            }
            db.with(h -> h.execute("UPDATE scheduled_tasks SET priority = NULL"));

            try (DbScheduler again = started(db)) {
                assertThat(priorities(db))
                        .containsEntry("scheduler-heartbeat", Priority.HIGH)
                        .containsEntry("poll-login", Priority.MEDIUM);
            }
        }
    }

    private static DbScheduler started(Database db) {
        DbScheduler scheduler = new DbScheduler(db, Clock.systemUTC(), "test-replica");
        scheduler.start(new IdleWork(), db.dataSource(), 2);
        return scheduler;
    }

    private static Map<String, Integer> priorities(Database db) {
        return db.with(h -> h
                .createQuery("SELECT task_name, priority FROM scheduled_tasks")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a)));
    }

    /** Polls and refreshes that never come due in the test; the periodic tasks do nothing. */
    private static final class IdleWork extends PollsOnlyWork {
        @Override
        public PollStep poll(String sessionId) {
            return PollStep.continuing(() -> Optional.of(LATER));
        }
    }
}
