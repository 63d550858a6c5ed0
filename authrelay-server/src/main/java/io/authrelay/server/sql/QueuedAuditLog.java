package io.authrelay.server.sql;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.audit.AuditQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of the vend path: {@link #append} queues the row and waits until it is committed; one writer thread
 * inserts what is queued in one transaction per batch, so concurrent vends share SQLite's write lock and one fsync
 * per batch, not one per vend. Inside a caller's transaction a row is written directly, to stay atomic with it.
 *
 * <p>What is guaranteed: every row appended is written, in order. {@link #close} (a clean stop, after the HTTP
 * server has finished its requests) writes everything still queued before it returns. Reads ({@link #since},
 * {@link #find}) first wait for the rows queued before them, so an audit query sees every vend answered before it.
 * When a write fails, the rows stay queued and are retried, and {@link #append} refuses (503) until a write
 * succeeds: no vend is answered while its audit cannot be kept (a refused vend's row may still be written once the
 * database recovers). The queue is bounded: when it is full, {@link #append} waits. A crash (SIGKILL, power loss)
 * loses no row of a vend that was answered: only rows of vends still waiting, which were never answered.
 */
public final class QueuedAuditLog implements AuditLog, AutoCloseable {
    static final int CAPACITY = 10_000;
    private static final int MAX_BATCH = 512;
    private static final long RETRY_MILLIS = 200;
    /** A read waits at most this long for queued rows (they cannot be written while the database refuses writes). */
    private static final long READ_WAIT_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(QueuedAuditLog.class);

    private final Database db;
    private final SqlAuditLog direct;
    private final Thread writer;
    private final Object lock = new Object();
    private final ArrayList<AuditRow> queue = new ArrayList<>();
    private long queued; // rows ever queued
    private long written; // rows ever committed, always <= queued; rows are written in order
    private boolean failing;
    private boolean closing;

    public QueuedAuditLog(Database db) {
        this.db = db;
        this.direct = new SqlAuditLog(db);
        this.writer =
                Thread.ofPlatform().daemon().name("authrelay-audit-writer").unstarted(this::writeLoop);
        writer.start();
    }

    @Override
    public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
        if (db.inTransactionOnThisThread()) {
            direct.append(at, actor, action, target, result, detail);
            return;
        }
        AuditRow row = AuditRow.of(at, actor, action, target, result, detail);
        synchronized (lock) {
            if (failing) throw unavailable();
            if (closing) throw new IllegalStateException("the audit log is closed");
            boolean interrupted = false;
            while (queue.size() >= CAPACITY && !failing && !closing) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the caller's vend must not go unaudited
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (failing) throw unavailable();
            if (closing) throw new IllegalStateException("the audit log is closed");
            queue.add(row);
            long mine = ++queued;
            lock.notifyAll();
            // The vend is answered only once its row is committed: one commit serves every vend waiting on it.
            while (written < mine) {
                if (failing) throw unavailable();
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Waits (at most {@code millis}) until every row queued before this call is committed. @return whether they are */
    boolean flush(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            long target = queued;
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public List<AuditEvent> since(Instant since, int limit) {
        flush(READ_WAIT_MILLIS);
        return direct.since(since, limit);
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        flush(READ_WAIT_MILLIS);
        return direct.find(query);
    }

    /**
     * An audit log for everything else: rows written at once, reads that see the queued vends. The daemon's one
     * audit table has two writers, and a reader must see both.
     */
    public AuditLog immediate() {
        return new AuditLog() {
            @Override
            public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
                direct.append(at, actor, action, target, result, detail);
            }

            @Override
            public List<AuditEvent> since(Instant since, int limit) {
                return QueuedAuditLog.this.since(since, limit);
            }

            @Override
            public List<AuditEvent> find(AuditQuery query) {
                return QueuedAuditLog.this.find(query);
            }
        };
    }

    /** A clean stop: refuses new rows, writes every queued one (retrying a failed write once), then returns. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true; // the queued rows must reach the database before it closes
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void writeLoop() {
        int failuresWhileClosing = 0;
        while (true) {
            List<AuditRow> batch;
            synchronized (lock) {
                while (queue.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends this thread, after the queue is empty
                    }
                }
                if (queue.isEmpty()) return; // closing, and everything is written
                batch = List.copyOf(queue.subList(0, Math.min(queue.size(), MAX_BATCH)));
            }
            try {
                write(batch);
            } catch (RuntimeException e) {
                boolean giveUp;
                synchronized (lock) {
                    failing = true;
                    lock.notifyAll(); // the vends waiting for this batch are refused now
                    giveUp = closing && ++failuresWhileClosing > 1;
                    if (giveUp) {
                        log.error(
                                "{} audit rows could not be written at stop ({})",
                                queue.size(),
                                e.getClass().getSimpleName());
                        queue.clear();
                        lock.notifyAll();
                        return;
                    }
                }
                log.error(
                        "audit rows could not be written ({}); vends are refused until they are",
                        e.getClass().getSimpleName());
                sleepQuietly(RETRY_MILLIS);
                continue;
            }
            synchronized (lock) {
                queue.subList(0, batch.size()).clear();
                written += batch.size();
                failing = false;
                lock.notifyAll();
            }
        }
    }

    private void write(List<AuditRow> batch) {
        db.inTransaction(() -> db.with(h -> {
            PreparedBatch insert = h.prepareBatch(AuditRow.INSERT);
            for (AuditRow row : batch) row.bindTo(insert).add();
            return insert.execute();
        }));
    }

    private static DomainException unavailable() {
        return new DomainException(
                DomainException.Kind.UNAVAILABLE,
                "audit_unavailable",
                "vends are refused: their audit rows cannot be written",
                "see the daemon log; check the database's disk space and health");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // retry sooner
        }
    }
}
