package io.authrelay.server.sql;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.redaction.SecretRedactor;
import java.time.Instant;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * One {@code audit_event} row as it is stored: the detail redacted (it can quote provider errors, and the audit log
 * must never hold a secret), then every text cut to its column's length. Redaction comes first, since a cut secret no
 * longer matches what the redactor knows.
 */
public record AuditRow(
        long at, String actor, String action, String target, String result, String origin, String detail) {
    static final String INSERT = """
            INSERT INTO audit_event(at, actor, action, target, result, origin, detail)
            VALUES (:at, :actor, :action, :target, :result, :origin, :detail)""";

    public static AuditRow of(Instant at, Actor actor, String action, String target, String result, String detail) {
        return new AuditRow(
                at.toEpochMilli(),
                BoundedText.cap(actor.name(), 128),
                BoundedText.cap(action, 64),
                BoundedText.cap(target, 256),
                BoundedText.cap(result, 32),
                BoundedText.cap(actor.origin(), 128),
                BoundedText.cap(SecretRedactor.redact(detail), 1024));
    }

    <S extends SqlStatement<S>> S bindTo(S statement) {
        return statement
                .bind("at", at)
                .bind("actor", actor)
                .bind("action", action)
                .bind("target", target)
                .bind("result", result)
                .bind("origin", origin)
                .bind("detail", detail);
    }
}
