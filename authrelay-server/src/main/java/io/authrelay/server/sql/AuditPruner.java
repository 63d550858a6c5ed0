package io.authrelay.server.sql;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the audit log bounded: deletes the events older than the retention, one batch per statement, so a vend waiting
 * to write its audit row waits for one batch at most, never for the whole backlog.
 */
public record AuditPruner(Database db, Duration retention, Clock clock, int batchSize) {
    private static final Logger log = LoggerFactory.getLogger(AuditPruner.class);

    /** @return how many events were deleted; a retention of zero keeps them all */
    public int prune() {
        if (retention.isZero()) return 0;
        Instant cutoff = clock.instant().minus(retention);
        int total = Batches.deleteAll(batchSize, () -> deleteBatch(cutoff));
        if (total > 0) log.info("pruned {} audit events older than {} (retention {})", total, cutoff, retention);
        return total;
    }

    private int deleteBatch(Instant cutoff) {
        return db.with(h -> h.createUpdate("""
                        DELETE FROM audit_event WHERE id IN
                          (SELECT id FROM audit_event WHERE at < :cutoff ORDER BY id LIMIT :batch)""")
                .bind("cutoff", cutoff.toEpochMilli())
                .bind("batch", batchSize)
                .execute());
    }
}
