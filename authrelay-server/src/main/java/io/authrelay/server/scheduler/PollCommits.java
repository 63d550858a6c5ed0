package io.authrelay.server.scheduler;

import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Execution;
import io.authrelay.core.login.PollStep;
import io.authrelay.server.sql.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for login polls: the polls that finish at about the same time write their outcomes, and their
 * {@code poll-login} rows' next run (or removal), in ONE transaction. Before, each poll cost three commits (db-scheduler's
 * pick, the poll's writes, db-scheduler's reschedule), each a WAL fsync under SQLite's one writer, and 45 of 48
 * scheduler threads waited for a connection.
 *
 * <p>No thread of its own: a caller whose poll is queued while no batch is being written writes the whole queue
 * (its own poll and the others'), the others wait for that commit. Each poll runs in a savepoint, so one poll whose
 * writes throw is rolled back alone and its caller gets the exception (db-scheduler then retries it), the others
 * commit. Until the commit nothing of the batch is written: a crash before it leaves every poll's row picked by this
 * replica, and db-scheduler revives those rows (dead executions), so they are polled again, never lost; a login's
 * ending is still guarded by {@code updateIfActive}, so a repeated poll never completes a login twice.
 */
final class PollCommits {
    private static final Logger log = LoggerFactory.getLogger(PollCommits.class);

    private final Database database;
    private final JdbcCustomization jdbc;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final List<Queued> queue = new ArrayList<>();
    private boolean writing;

    /** A poll whose provider answered, and the {@code poll-login} execution it ran as. */
    record Poll(Execution execution, PollStep step) {}

    private record Queued(Poll poll, CompletableFuture<Void> done) {}

    PollCommits(Database database, JdbcCustomization jdbc, Clock clock) {
        this.database = database;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Writes {@code step} and reschedules or removes {@code execution}'s row in a transaction shared with the polls
     * queued beside it; returns once it committed. Throws what the step's writes threw (nothing of it is written).
     */
    void commit(Execution execution, PollStep step) {
        Queued mine = new Queued(new Poll(execution, step), new CompletableFuture<>());
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done().isDone()) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                List<Queued> batch = List.copyOf(queue);
                queue.clear();
                lock.unlock();
                try {
                    write(batch);
                } finally {
                    lock.lock();
                    writing = false;
                    written.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        mine.done().join();
    }

    /** Every queued poll's future is completed when this returns or throws. */
    private void write(List<Queued> batch) {
        List<RuntimeException> failures;
        try {
            failures = writeTogether(batch.stream().map(Queued::poll).toList());
        } catch (RuntimeException | Error e) {
            // Nothing of the batch is written: each caller fails, and an Error still ends this thread as it would have.
            batch.forEach(queued -> queued.done().completeExceptionally(e));
            if (e instanceof Error error) throw error;
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures.get(i) == null) batch.get(i).done().complete(null);
            else batch.get(i).done().completeExceptionally(failures.get(i));
        }
    }

    /**
     * Writes the polls in one transaction, each in its own savepoint; throws when the transaction fails (nothing of
     * it is written).
     *
     * @return per poll, in order: null when written, else what its writes threw (they were rolled back)
     */
    List<RuntimeException> writeTogether(List<Poll> polls) {
        return database.inTransaction(() -> {
            List<RuntimeException> failures = new ArrayList<>();
            for (int i = 0; i < polls.size(); i++) {
                Poll poll = polls.get(i);
                String savepoint = "poll_" + i;
                failures.add(database.with(h -> writeAlone(h, savepoint, poll)));
            }
            return failures;
        });
    }

    /** @return null when written, else what the poll threw (its savepoint rolled back) */
    private RuntimeException writeAlone(Handle h, String savepoint, Poll poll) {
        h.savepoint(savepoint);
        try {
            Optional<Instant> next = poll.step().write();
            if (!completeRow(h.getConnection(), poll.execution(), next)) {
                // Another replica revived it (this one was thought dead) and runs it now; this poll's writes stand,
                // as each is guarded by the session's own state.
                log.warn(
                        "poll-login {} was taken over by another replica",
                        poll.execution().taskInstance.getId());
            }
            h.release(savepoint);
            return null;
        } catch (RuntimeException e) {
            // Undoes this poll's writes only; the savepoint itself ends with the transaction.
            h.rollbackToSavepoint(savepoint);
            return e;
        }
    }

    /**
     * What db-scheduler's completion would do ({@code JdbcTaskRepository.reschedule}, {@code remove}), in this
     * transaction; the task then completes with nothing left to do.
     */
    private boolean completeRow(Connection c, Execution execution, Optional<Instant> next) {
        try {
            if (next.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND version = ?")) {
                    ps.setString(1, execution.taskInstance.getTaskName());
                    ps.setString(2, execution.taskInstance.getId());
                    ps.setLong(3, execution.version);
                    return ps.executeUpdate() == 1;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE scheduled_tasks SET picked = ?, picked_by = ?, last_heartbeat = ?, last_success = ?,
                        consecutive_failures = ?, execution_time = ?, version = version + 1
                    WHERE task_name = ? AND task_instance = ? AND version = ?""")) {
                ps.setBoolean(1, false);
                ps.setString(2, null);
                jdbc.setInstant(ps, 3, null);
                jdbc.setInstant(ps, 4, clock.instant());
                ps.setInt(5, 0);
                jdbc.setInstant(ps, 6, next.get());
                ps.setString(7, execution.taskInstance.getTaskName());
                ps.setString(8, execution.taskInstance.getId());
                ps.setLong(9, execution.version);
                return ps.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot complete " + execution.taskInstance + ": " + e.getMessage(), e);
        }
    }
}
