package io.authrelay.core.audit;

import java.time.Instant;
import java.util.List;

/** Append-only audit storage port. */
public interface AuditLog {
    String OK = "ok";
    String DENIED = "denied";
    String FAILED = "failed";

    void append(Instant at, Actor actor, String action, String target, String result, String detail);

    List<AuditEvent> since(Instant since, int limit);

    /** Events matching the query, newest first; stores answer it with an index, this default by reading and filtering. */
    default List<AuditEvent> find(AuditQuery query) {
        return since(query.since(), Integer.MAX_VALUE).reversed().stream()
                .filter(query::matches)
                .limit(query.limit())
                .toList();
    }
}
