package io.authrelay.server.sql;

import static io.authrelay.server.sql.SqlCredentialRepository.instant;
import static io.authrelay.server.sql.SqlCredentialRepository.millis;

import io.authrelay.core.login.LoginSession;
import io.authrelay.core.login.LoginSessionRepository;
import io.authrelay.core.login.LoginStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Update;

public final class SqlLoginSessionRepository implements LoginSessionRepository {
    private static final String ACTIVE = "status IN ('pending', 'awaiting_user')";
    private final Database db;

    public SqlLoginSessionRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean insertIfNoneActive(LoginSession s) {
        // ON CONFLICT without a target covers login_session_one_active too: on PostgreSQL a concurrent insert for the
        // same provider waits for the other transaction and, once it commits, inserts nothing.
        return db.with(h -> bindProgress(h.createUpdate("""
                INSERT INTO login_session(id, provider, status, user_code, verification_uri, verification_uri_complete, expires_at,
                    interval_ms, next_poll_at, polls, consecutive_failures, last_result, reason, account, created_at, updated_at)
                VALUES (:id, :provider, :status, :userCode, :uri, :uriComplete, :expiresAt, :intervalMs, :nextPollAt, :polls,
                    :failures, :lastResult, :reason, :account, :createdAt, :updatedAt)
                ON CONFLICT DO NOTHING"""), s)
                        .bind("provider", s.provider())
                        .bind("uriComplete", s.verificationUriComplete())
                        .bind("expiresAt", s.expiresAt().toEpochMilli())
                        .bind("createdAt", s.createdAt().toEpochMilli())
                        .execute())
                == 1;
    }

    @Override
    public boolean updateIfActive(LoginSession s) {
        return db.with(h -> bindProgress(
                                h.createUpdate(
                                        "UPDATE login_session SET status = :status, interval_ms = :intervalMs, next_poll_at = :nextPollAt,"
                                                + " polls = :polls, consecutive_failures = :failures, last_result = :lastResult, reason = :reason, account = :account,"
                                                + " user_code = :userCode, verification_uri = :uri,"
                                                + " updated_at = :updatedAt WHERE id = :id AND " + ACTIVE),
                                s)
                        .execute())
                == 1;
    }

    /**
     * Binds the session's id and every column a poll or an ending changes (what {@link LoginSession} lets change). The
     * texts a provider's answers fill are cut to their columns: PostgreSQL would refuse the whole write, SQLite would
     * store whatever length came.
     */
    private static Update bindProgress(Update update, LoginSession s) {
        return update.bind("id", s.id())
                .bind("status", s.status().wireName())
                .bind("intervalMs", s.interval().toMillis())
                .bind("nextPollAt", millis(s.nextPollAt()))
                .bind("polls", s.polls())
                .bind("failures", s.consecutiveFailures())
                .bind("lastResult", BoundedText.cap(s.lastResult(), 512))
                .bind("reason", BoundedText.cap(s.reason(), 1024))
                .bind("account", BoundedText.cap(s.account(), 256))
                // An AI CLI prints these after its session began; the service refuses ones too long to store whole.
                .bind("userCode", s.userCode())
                .bind("uri", s.verificationUri())
                .bind("updatedAt", s.updatedAt().toEpochMilli());
    }

    @Override
    public Optional<LoginSession> find(String id) {
        return db.with(h -> h.createQuery("SELECT * FROM login_session WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public Optional<LoginSession> findActive(String provider) {
        return db.with(h -> h.createQuery("SELECT * FROM login_session WHERE provider = :provider AND " + ACTIVE
                        + " ORDER BY created_at DESC LIMIT 1")
                .bind("provider", provider)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public List<LoginSession> recent(String provider, int limit) {
        return db.with(
                h -> h.createQuery("SELECT * FROM login_session WHERE (:provider IS NULL OR provider = :provider)"
                                + " ORDER BY created_at DESC LIMIT :limit")
                        .bind("provider", provider)
                        .bind("limit", limit)
                        .map((rs, ctx) -> map(rs))
                        .list());
    }

    @Override
    public List<LoginSession> active() {
        return db.with(h -> h.createQuery("SELECT * FROM login_session WHERE " + ACTIVE + " ORDER BY created_at")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public long countActive() {
        return db.with(h -> h.createQuery("SELECT COUNT(*) FROM login_session WHERE " + ACTIVE)
                .mapTo(Long.class)
                .one());
    }

    @Override
    public int deleteFor(String provider) {
        return db.with(h -> h.createUpdate("DELETE FROM login_session WHERE provider = :provider")
                .bind("provider", provider)
                .execute());
    }

    private static LoginSession map(ResultSet rs) throws SQLException {
        return new LoginSession(
                rs.getString("id"),
                rs.getString("provider"),
                LoginStatus.fromWire(rs.getString("status")),
                rs.getString("user_code"),
                rs.getString("verification_uri"),
                rs.getString("verification_uri_complete"),
                instant(rs, "expires_at"),
                Duration.ofMillis(rs.getLong("interval_ms")),
                instant(rs, "next_poll_at"),
                rs.getInt("polls"),
                rs.getInt("consecutive_failures"),
                rs.getString("last_result"),
                rs.getString("reason"),
                rs.getString("account"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
