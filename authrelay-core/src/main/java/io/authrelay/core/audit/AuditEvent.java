package io.authrelay.core.audit;

import java.time.Instant;

/** One audited action. Never holds a secret: only names, outcomes and origins. */
public record AuditEvent(
        long id, Instant at, String actor, String action, String target, String result, String origin, String detail) {}
