package io.authrelay.server.sql;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.audit.AuditQuery;
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
                .map(SqlAuditLog::event)
                .list()
                .reversed());
    }

    /** Only the filters the query names go into the SQL, each a bound value; the same text serves both stores. */
    @Override
    public List<AuditEvent> find(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_event WHERE at >= :since");
        if (q.until() != null) sql.append(" AND at < :until");
        if (q.beforeId() != null) sql.append(" AND id < :before");
        if (q.workspace() != null) sql.append(" AND (actor = :workspaceActor OR target = :workspace)");
        if (q.provider() != null) sql.append(" AND target = :provider");
        if (q.action() != null) sql.append(" AND (action = :action OR action LIKE :actionPrefix ESCAPE '!')");
        sql.append(" ORDER BY id DESC LIMIT :limit");
        return db.with(h -> {
            var query = h.createQuery(sql.toString())
                    .bind("since", q.since().toEpochMilli())
                    .bind("limit", q.limit());
            if (q.until() != null) query.bind("until", q.until().toEpochMilli());
            if (q.beforeId() != null) query.bind("before", q.beforeId().longValue());
            if (q.workspace() != null)
                query.bind("workspace", q.workspace()).bind("workspaceActor", q.workspaceActor());
            if (q.provider() != null) query.bind("provider", q.provider());
            if (q.action() != null)
                query.bind("action", q.action()).bind("actionPrefix", likeEscaped(q.action()) + ".%");
            return query.map(SqlAuditLog::event).list();
        });
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static AuditEvent event(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new AuditEvent(
                rs.getLong("id"),
                Instant.ofEpochMilli(rs.getLong("at")),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("result"),
                rs.getString("origin"),
                rs.getString("detail"));
    }
}
