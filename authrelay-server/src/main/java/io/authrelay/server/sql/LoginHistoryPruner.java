package io.authrelay.server.sql;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the login history bounded: deletes finished login sessions, with their timelines, once they are older than the
 * retention. A provider's latest session always stays, so {@code diagnose PROVIDER} can still say how its last login
 * ended; pending sessions are never touched.
 */
public record LoginHistoryPruner(Database db, Duration retention, Clock clock, int batchSize) {
    private static final Logger log = LoggerFactory.getLogger(LoginHistoryPruner.class);

    /** @return how many login sessions were deleted; a retention of zero keeps them all */
    public int prune() {
        if (retention.isZero()) return 0;
        long cutoff = clock.instant().minus(retention).toEpochMilli();
        int total = Batches.deleteAll(batchSize, () -> db.inTransaction(() -> deleteBatch(cutoff)));
        int events = deleteProviderEvents(cutoff);
        if (total + events > 0) {
            log.info(
                    "pruned {} finished logins and {} refresh events older than {} (retention {})",
                    total,
                    events,
                    Instant.ofEpochMilli(cutoff),
                    retention);
        }
        return total;
    }

    private int deleteBatch(long cutoff) {
        List<String> ids = db.with(h -> h.createQuery("""
                        SELECT id FROM login_session s
                        WHERE s.status NOT IN ('pending', 'awaiting_user') AND s.updated_at < :cutoff
                          AND EXISTS (SELECT 1 FROM login_session newer
                                      WHERE newer.provider = s.provider AND newer.created_at > s.created_at)
                        ORDER BY s.created_at LIMIT :batch""")
                .bind("cutoff", cutoff)
                .bind("batch", batchSize)
                .mapTo(String.class)
                .list());
        if (ids.isEmpty()) return 0;
        db.with(h -> h.createUpdate("DELETE FROM login_event WHERE session_id IN (<ids>)")
                .bindList("ids", ids)
                .execute());
        return db.with(h -> h.createUpdate("DELETE FROM login_session WHERE id IN (<ids>)")
                .bindList("ids", ids)
                .execute());
    }

    /** Refresh events belong to no session: they age out on their own. */
    private int deleteProviderEvents(long cutoff) {
        return db.with(h -> h.createUpdate("DELETE FROM login_event WHERE session_id IS NULL AND last_at < :cutoff")
                .bind("cutoff", cutoff)
                .execute());
    }
}
