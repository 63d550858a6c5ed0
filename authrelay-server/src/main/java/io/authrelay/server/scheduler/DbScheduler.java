package io.authrelay.server.scheduler;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.authrelay.core.credential.RefreshScheduler;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.PollStep;
import io.authrelay.server.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable timers on db-scheduler: one task instance per pending login ({@code poll-login}) and per
 * refreshable credential ({@code refresh-credential}), plus a heartbeat and the hourly {@code prune-audit}. Executions live in the
 * database, so any replica can run them and a dead replica's are revived after its heartbeats stop.
 * Each task decides its own next run when it completes; callers outside a run only schedule.
 */
public final class DbScheduler implements LoginScheduler, RefreshScheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DbScheduler.class);
    private static final String HEARTBEAT_TASK = "scheduler-heartbeat";
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    /** Retention is counted in days; an hour's lateness is noise, and each run is a few short deletes. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private static final Duration ORPHAN_RUNS_EVERY = Duration.ofSeconds(5);
    /** Longer than the heartbeat's period and a typical poll interval, so a steady trickle reuses its threads. */
    private static final long THREAD_KEEP_ALIVE_SECONDS = 30;

    /** The work the tasks do: supplied once the domain services exist, since they in turn need this scheduler. */
    public interface Work {
        /** Asks the provider; the step's writes are committed with other polls' ({@link PollCommits}). */
        PollStep poll(String sessionId);

        Optional<Instant> refresh(String provider);

        /** Deletes the audit events past their retention. */
        void pruneAudit();

        /** Deletes the finished logins past their retention. */
        void pruneLogins();

        /** Ends failed the AI-CLI logins whose run stopped with its replica. */
        void endOrphanRuns();
    }

    private final Database database;
    private final Clock clock;
    /** This replica's name: db-scheduler marks the executions it picks with it. */
    private final String replica;

    private final AtomicReference<Work> work = new AtomicReference<>();
    private final CustomTask<Void> pollTask;
    private final CustomTask<Void> refreshTask;
    private final RecurringTask<Void> heartbeatTask;
    private final RecurringTask<Void> pruneAuditTask;
    private final RecurringTask<Void> pruneLoginsTask;
    private final RecurringTask<Void> orphanRunsTask;
    private Scheduler scheduler;
    private PollCommits pollCommits;

    public DbScheduler(Database database, Clock clock, String replica) {
        this.database = database;
        this.clock = clock;
        this.replica = replica;
        this.pollTask = Tasks.custom("poll-login", Void.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> poll(context.getExecution()));
        this.refreshTask = Tasks.custom("refresh-credential", Void.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> next(run(w -> w.refresh(instance.getId()))));
        // Fetched ahead of every due poll: behind a backlog of polls, the heartbeat ran up to 19 s late and
        // diagnostics would have called a busy scheduler dead.
        this.heartbeatTask = Tasks.recurring(HEARTBEAT_TASK, FixedDelay.of(HEARTBEAT_EVERY))
                .defaultPriority(Priority.HIGH)
                .execute((instance, context) -> beat());
        this.pruneAuditTask = Tasks.recurring("prune-audit", FixedDelay.of(PRUNE_EVERY))
                .execute((instance, context) -> work.get().pruneAudit());
        this.pruneLoginsTask = Tasks.recurring("prune-logins", FixedDelay.of(PRUNE_EVERY))
                .execute((instance, context) -> work.get().pruneLogins());
        // One replica at a time looks; a dead owner is noticed within ReplicaRegistry.ALIVE_WITHIN plus this period.
        this.orphanRunsTask = Tasks.recurring("end-orphan-runs", FixedDelay.of(ORPHAN_RUNS_EVERY))
                .execute((instance, context) -> work.get().endOrphanRuns());
    }

    /**
     * @param threads the most task runs at once; threads are started as the work needs them and end after
     *     {@link #THREAD_KEEP_ALIVE_SECONDS} idle, so an idle daemon does not keep them all
     */
    public void start(Work tasks, DataSource dataSource, int threads) {
        work.set(tasks);
        prioritizeExistingRows();
        JdbcCustomization jdbc = jdbcFor(database);
        pollCommits = new PollCommits(database, jdbc, clock);
        scheduler = Scheduler.create(dataSource, List.of(pollTask, refreshTask))
                .jdbcCustomization(jdbc)
                .startTasks(heartbeatTask, pruneAuditTask, pruneLoginsTask, orphanRunsTask)
                .threads(threads)
                .executorService(ElasticExecutor.create("authrelay-scheduler-", threads, THREAD_KEEP_ALIVE_SECONDS))
                .pollingInterval(Duration.ofMillis(250))
                // Due executions are picked in one statement (PostgreSQL: SKIP LOCKED) or one transaction (SQLite) per
                // batch, not one commit each. Up to a thread's worth more is picked ahead, as soon as fewer than that
                // are queued or running: polls finish together (PollCommits), and with 0.5-1.0 every thread then
                // waited for the next pick's commit before it could poll.
                .pollUsingLockAndFetch(1.0, 2.0)
                .heartbeatInterval(Duration.ofSeconds(1))
                .missedHeartbeatsLimit(4)
                .enableImmediateExecution()
                .enablePriority()
                .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(replica))
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        scheduler.start();
        // The name other replicas' scheduled_tasks.picked_by shows for this one's executions.
        log.info("scheduler {} started", replica);
        beat();
    }

    @Override
    public void schedulePoll(String sessionId, Instant at) {
        scheduler.scheduleIfNotExists(pollTask.instance(sessionId), at);
    }

    @Override
    public void cancelPoll(String sessionId) {
        cancelIfIdle(TaskInstanceId.of(pollTask.getName(), sessionId));
    }

    @Override
    public void scheduleRefresh(String provider, Instant at) {
        TaskInstanceId id = TaskInstanceId.of(refreshTask.getName(), provider);
        var existing = scheduler.getScheduledExecution(id);
        if (existing.isEmpty()) {
            scheduler.scheduleIfNotExists(refreshTask.instance(provider), at);
        } else if (!existing.get().isPicked()) {
            scheduler.reschedule(id, at);
        }
        // A running refresh task sets its own next run when it completes.
    }

    @Override
    public void cancelRefresh(String provider) {
        cancelIfIdle(TaskInstanceId.of(refreshTask.getName(), provider));
    }

    @Override
    public Duration heartbeatAge() {
        return database.with(h -> h.createQuery("SELECT at FROM scheduler_heartbeat WHERE id = 1")
                        .mapTo(Long.class)
                        .findOne())
                .map(at -> Duration.ofMillis(Math.max(0, clock.millis() - at)))
                .orElse(null);
    }

    private void cancelIfIdle(TaskInstanceId id) {
        var existing = scheduler.getScheduledExecution(id);
        // A picked execution finishes on its own: the task sees the session or credential is gone and removes itself.
        if (existing.isPresent() && !existing.get().isPicked()) scheduler.cancel(id);
    }

    /** How db-scheduler reads and writes this database, with lock-and-fetch on SQLite too. */
    static JdbcCustomization jdbcFor(Database database) {
        return database.isShared() ? new AutodetectJdbcCustomization(database.dataSource()) : new SqliteLockAndFetch();
    }

    /**
     * One poll: the provider's answer, then its writes and this row's next run committed with the polls that finish
     * beside it. A failed poll is retried in 30 s, as any failed task.
     */
    private CompletionHandler<Void> poll(Execution execution) {
        PollStep step;
        try {
            step = work.get().poll(execution.taskInstance.getId());
            pollCommits.commit(execution, step);
        } catch (RuntimeException e) {
            return next(Optional.of(retryAfterFailure(e)));
        }
        step.committed();
        // The row was rescheduled or removed in the poll's own transaction.
        return (complete, operations) -> {};
    }

    private Optional<Instant> run(Function<Work, Optional<Instant>> task) {
        try {
            return task.apply(work.get());
        } catch (RuntimeException e) {
            return Optional.of(retryAfterFailure(e));
        }
    }

    private Instant retryAfterFailure(RuntimeException e) {
        log.warn("scheduled task failed; retrying in 30s", e);
        return clock.instant().plusSeconds(30);
    }

    private static CompletionHandler<Void> next(Optional<Instant> at) {
        return (complete, operations) -> {
            if (at.isPresent()) operations.reschedule(complete, at.get());
            else operations.remove();
        };
    }

    /**
     * A database written before priorities were enabled holds its heartbeat at the default priority, and maybe rows
     * without one, which PostgreSQL's {@code ORDER BY priority DESC} would fetch first: db-scheduler sets a row's
     * priority only when it creates it.
     */
    private void prioritizeExistingRows() {
        database.with(h -> h.createUpdate("""
                UPDATE scheduled_tasks SET priority = CASE WHEN task_name = :heartbeat THEN :high ELSE :medium END
                WHERE priority IS NULL OR (task_name = :heartbeat AND priority <> :high)""")
                .bind("heartbeat", HEARTBEAT_TASK)
                .bind("high", Priority.HIGH)
                .bind("medium", Priority.MEDIUM)
                .execute());
    }

    private void beat() {
        database.with(h -> h.createUpdate("""
                INSERT INTO scheduler_heartbeat(id, at, replica) VALUES (1, :at, :replica)
                ON CONFLICT(id) DO UPDATE SET at = excluded.at, replica = excluded.replica""")
                .bind("at", clock.millis())
                .bind("replica", replica)
                .execute());
    }

    @Override
    public void close() {
        if (scheduler != null) scheduler.stop();
    }
}
