package io.authrelay.server.sql;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The audit log of the vend path, with group commit: {@link #append} still returns only once its row is
 * committed, but rows appended while another batch is being written go to the database together in the
 * next transaction, so a burst of vends costs one SQLite write lock and one commit per batch instead of
 * one per vend. The first caller to find no batch in flight writes the queue itself (no extra thread, no
 * added latency when idle). Inside a caller's transaction it writes directly, to stay atomic with it.
 */
public final class GroupCommitAuditLog implements AuditLog {
    private static final int MAX_BATCH = 512;

    private static final class Row {
        final AuditRow values;
        boolean done;
        RuntimeException failure;

        Row(AuditRow values) {
            this.values = values;
        }
    }

    private final Database db;
    private final SqlAuditLog direct;
    private final Object lock = new Object();
    private final List<Row> queue = new ArrayList<>();
    private boolean writing;

    public GroupCommitAuditLog(Database db) {
        this.db = db;
        this.direct = new SqlAuditLog(db);
    }

    @Override
    public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
        if (db.inTransactionOnThisThread()) {
            direct.append(at, actor, action, target, result, detail);
            return;
        }
        Row row = new Row(AuditRow.of(at, actor, action, target, result, detail));
        synchronized (lock) {
            queue.add(row);
        }
        boolean interrupted = false;
        while (true) {
            List<Row> batch;
            synchronized (lock) {
                while (!row.done && writing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the row is queued: wait until it is written, then restore the flag
                    }
                }
                if (row.done) {
                    if (interrupted) Thread.currentThread().interrupt();
                    if (row.failure != null) throw row.failure;
                    return;
                }
                // Nobody is writing: this caller writes everything queued (up to MAX_BATCH rows).
                writing = true;
                int n = Math.min(queue.size(), MAX_BATCH);
                batch = new ArrayList<>(queue.subList(0, n));
                queue.subList(0, n).clear();
            }
            RuntimeException failure = null;
            try {
                write(batch);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                synchronized (lock) {
                    for (Row r : batch) {
                        r.done = true;
                        r.failure = failure;
                    }
                    writing = false;
                    lock.notifyAll();
                }
            }
        }
    }

    private void write(List<Row> batch) {
        db.inTransaction(() -> db.with(h -> {
            PreparedBatch insert = h.prepareBatch(AuditRow.INSERT);
            for (Row r : batch) r.values.bindTo(insert).add();
            return insert.execute();
        }));
    }

    @Override
    public List<AuditEvent> since(Instant since, int limit) {
        return direct.since(since, limit);
    }

    @Override
    public List<AuditEvent> find(io.authrelay.core.audit.AuditQuery query) {
        return direct.find(query);
    }
}
