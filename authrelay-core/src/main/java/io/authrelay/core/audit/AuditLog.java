package io.authrelay.core.audit;

import java.time.Instant;
import java.util.List;

/** Append-only audit storage port. */
public interface AuditLog {
    String OK = "ok";
    String DENIED = "denied";
    String FAILED = "failed";

    void append(Instant at, Actor actor, String action, String target, String result, String detail);

    /**
     * A row for something already done, that its row can no longer hold back (a relayed exchange whose bytes went): a
     * store with a writer queue queues it and returns before its commit (it is still written, in order, and a clean
     * stop writes it); a store that writes at once just appends.
     */
    default void appendDone(Instant at, Actor actor, String action, String target, String result, String detail) {
        append(at, actor, action, target, result, detail);
    }

    List<AuditEvent> since(Instant since, int limit);

    /** Events matching the query, newest first; stores answer it with an index, this default by reading and filtering. */
    default List<AuditEvent> find(AuditQuery query) {
        return since(query.since(), Integer.MAX_VALUE).reversed().stream()
                .filter(query::matches)
                .limit(query.limit())
                .toList();
    }
}
