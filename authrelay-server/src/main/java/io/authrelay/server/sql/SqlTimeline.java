package io.authrelay.server.sql;

import static io.authrelay.server.sql.SqlCredentialRepository.instant;

import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.timeline.Timeline;
import io.authrelay.core.timeline.TimelineEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The timeline in {@code login_event}: a repeated poll or refresh result folds into the row before it. */
public final class SqlTimeline implements Timeline {
    private final Database db;

    public SqlTimeline(Database db) {
        this.db = db;
    }

    @Override
    public void record(
            String sessionId,
            String provider,
            Instant at,
            String rawKind,
            Integer httpStatus,
            String rawCode,
            String rawDetail) {
        // Provider answers end up here (error codes, descriptions): cut to the columns' lengths, after redaction, since
        // a cut secret no longer matches what the redactor knows.
        String kind = BoundedText.cap(rawKind, 32);
        String code = BoundedText.cap(rawCode, 64);
        String detail = BoundedText.cap(SecretRedactor.redact(rawDetail), 1024);
        db.with(h -> {
            // Fold a repeat of the newest event of this session or connection (same kind, status, code) into it: polls
            // and refreshes repeat by design, and rejects come at whatever rate a workspace sends them. IS NOT DISTINCT
            // FROM
            // is the null-safe = of both databases (SQLite's IS is SQLite's only).
            int folded = h.createUpdate("""
                    UPDATE login_event SET count = count + 1, last_at = :at, detail = :detail
                    WHERE id = (SELECT MAX(id) FROM login_event WHERE provider = :provider
                                AND ((:session IS NULL AND session_id IS NULL) OR session_id = :session))
                      AND kind = :kind AND http_status IS NOT DISTINCT FROM :status AND code IS NOT DISTINCT FROM :code
                      AND kind IN ('poll', 'refresh', 'rejected')""")
                    .bind("at", at.toEpochMilli())
                    .bind("detail", detail)
                    .bind("provider", provider)
                    .bind("session", sessionId)
                    .bind("kind", kind)
                    .bind("status", httpStatus)
                    .bind("code", code)
                    .execute();
            if (folded == 0) {
                h.createUpdate("""
                        INSERT INTO login_event(session_id, provider, at, last_at, count, kind, http_status, code, detail)
                        VALUES (:session, :provider, :at, :at, 1, :kind, :status, :code, :detail)""")
                        .bind("session", sessionId)
                        .bind("provider", provider)
                        .bind("at", at.toEpochMilli())
                        .bind("kind", kind)
                        .bind("status", httpStatus)
                        .bind("code", code)
                        .bind("detail", detail)
                        .execute();
            }
            return null;
        });
    }

    @Override
    public List<TimelineEvent> forSession(String sessionId, int limit) {
        return query("session_id = :key", sessionId, limit);
    }

    @Override
    public List<TimelineEvent> forProvider(String provider, int limit) {
        return query("provider = :key", provider, limit);
    }

    @Override
    public void forget(String provider) {
        db.with(h -> h.createUpdate("DELETE FROM login_event WHERE provider = :provider")
                .bind("provider", provider)
                .execute());
    }

    private List<TimelineEvent> query(String where, String key, int limit) {
        return db.with(h -> h.createQuery("SELECT * FROM login_event WHERE " + where + " ORDER BY id DESC LIMIT :limit")
                .bind("key", key)
                .bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list()
                .reversed());
    }

    private static TimelineEvent map(ResultSet rs) throws SQLException {
        int status = rs.getInt("http_status");
        Integer httpStatus = rs.wasNull() ? null : status;
        return new TimelineEvent(
                rs.getLong("id"),
                rs.getString("session_id"),
                rs.getString("provider"),
                instant(rs, "at"),
                instant(rs, "last_at"),
                rs.getInt("count"),
                rs.getString("kind"),
                httpStatus,
                rs.getString("code"),
                rs.getString("detail"));
    }
}
