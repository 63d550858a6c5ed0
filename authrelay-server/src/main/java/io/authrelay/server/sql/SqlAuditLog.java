package io.authrelay.server.sql;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.redaction.SecretRedactor;
import java.time.Instant;
import java.util.List;

public final class SqlAuditLog implements AuditLog {
    static final String INSERT = """
            INSERT INTO audit_event(at, actor, action, target, result, origin, detail)
            VALUES (:at, :actor, :action, :target, :result, :origin, :detail)""";
    private final Database db;

    public SqlAuditLog(Database db) {
        this.db = db;
    }

    @Override
    public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
        // Redacted at the door: detail texts can quote provider errors, and the audit log must never hold a secret.
        db.with(h -> h.createUpdate(INSERT)
                .bind("at", at.toEpochMilli())
                .bind("actor", actor.name())
                .bind("action", action)
                .bind("target", target)
                .bind("result", result)
                .bind("origin", actor.origin())
                .bind("detail", SecretRedactor.redact(detail))
                .execute());
    }

    @Override
    public List<AuditEvent> since(Instant since, int limit) {
        return db.with(h -> h.createQuery("SELECT * FROM audit_event WHERE at >= :since ORDER BY id DESC LIMIT :limit")
                .bind("since", since.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> new AuditEvent(
                        rs.getLong("id"),
                        Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("actor"),
                        rs.getString("action"),
                        rs.getString("target"),
                        rs.getString("result"),
                        rs.getString("origin"),
                        rs.getString("detail")))
                .list()
                .reversed());
    }
}
