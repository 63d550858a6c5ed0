package io.authrelay.server.sql;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import java.time.Instant;
import java.util.List;

public final class SqlAuditLog implements AuditLog {
    private final Database db;

    public SqlAuditLog(Database db) {
        this.db = db;
    }

    @Override
    public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
        AuditRow row = AuditRow.of(at, actor, action, target, result, detail);
        db.with(h -> row.bindTo(h.createUpdate(AuditRow.INSERT)).execute());
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
