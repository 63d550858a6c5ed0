package io.authrelay.server.sql;

import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Update;

public final class SqlCredentialRepository implements CredentialRepository {
    private final Database db;
    private final ReadCache<String, Credential> cache;

    public SqlCredentialRepository(Database db) {
        this.db = db;
        this.cache = new ReadCache<>(db, "credential");
    }

    @Override
    public void upsert(Credential c) {
        cache.write(h -> bind(h.createUpdate("""
                INSERT INTO credential(provider, state, account, scopes, expires_at, refreshable, last_refresh_at, last_error,
                    refresh_failures, version, updated_at)
                VALUES (:provider, :state, :account, :scopes, :expiresAt, :refreshable, :lastRefreshAt, :lastError,
                    :refreshFailures, 1, :updatedAt)
                ON CONFLICT(provider) DO UPDATE SET state = excluded.state, account = excluded.account, scopes = excluded.scopes,
                    expires_at = excluded.expires_at, refreshable = excluded.refreshable, last_refresh_at = excluded.last_refresh_at,
                    last_error = excluded.last_error, refresh_failures = excluded.refresh_failures,
                    version = credential.version + 1, updated_at = excluded.updated_at,
                    refresh_owner = NULL, refresh_until = NULL"""), c).execute());
    }

    @Override
    public boolean compareAndSet(Credential c, long expectedVersion) {
        return cache.write(h -> bind(h.createUpdate("""
                UPDATE credential SET state = :state, account = :account, scopes = :scopes, expires_at = :expiresAt,
                    refreshable = :refreshable, last_refresh_at = :lastRefreshAt, last_error = :lastError,
                    refresh_failures = :refreshFailures, version = :expected + 1, updated_at = :updatedAt
                WHERE provider = :provider AND version = :expected"""), c)
                        .bind("expected", expectedVersion)
                        .execute())
                == 1;
    }

    @Override
    public boolean claimRefresh(String provider, long expectedVersion, String owner, Instant until, Instant now) {
        return cache.write(h -> h.createUpdate("""
                UPDATE credential SET refresh_owner = :owner, refresh_until = :until
                WHERE provider = :provider AND version = :expected
                  AND (refresh_owner IS NULL OR refresh_owner = :owner OR refresh_until < :now)""")
                        .bind("owner", owner)
                        .bind("until", until.toEpochMilli())
                        .bind("provider", provider)
                        .bind("expected", expectedVersion)
                        .bind("now", now.toEpochMilli())
                        .execute())
                == 1;
    }

    @Override
    public void releaseRefresh(String provider, String owner) {
        cache.write(h -> h.createUpdate(
                        "UPDATE credential SET refresh_owner = NULL, refresh_until = NULL WHERE provider = :provider AND refresh_owner = :owner")
                .bind("provider", provider)
                .bind("owner", owner)
                .execute());
    }

    @Override
    public Optional<Credential> find(String provider) {
        return cache.get(
                provider,
                () -> db.with(h -> h.createQuery("SELECT * FROM credential WHERE provider = :provider")
                        .bind("provider", provider)
                        .map((rs, ctx) -> map(rs))
                        .findOne()));
    }

    @Override
    public List<Credential> list() {
        return db.with(h -> h.createQuery("SELECT * FROM credential ORDER BY provider")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public boolean delete(String provider) {
        return cache.revoke(h -> h.createUpdate("DELETE FROM credential WHERE provider = :provider")
                        .bind("provider", provider)
                        .execute())
                == 1;
    }

    /** Texts from a provider's answers are cut to their columns, which PostgreSQL enforces and SQLite does not. */
    private static Update bind(Update update, Credential c) {
        return update.bind("provider", c.provider())
                .bind("state", c.state().wireName())
                .bind("account", BoundedText.cap(c.account(), 256))
                .bind("scopes", BoundedText.cap(c.scopes(), 1024))
                .bind("expiresAt", millis(c.expiresAt()))
                .bind("refreshable", c.refreshable() ? 1 : 0)
                .bind("lastRefreshAt", millis(c.lastRefreshAt()))
                .bind("lastError", BoundedText.cap(c.lastError(), 1024))
                .bind("refreshFailures", c.refreshFailures())
                .bind("updatedAt", c.updatedAt().toEpochMilli());
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Credential map(ResultSet rs) throws SQLException {
        return new Credential(
                rs.getString("provider"),
                CredentialState.fromWire(rs.getString("state")),
                rs.getString("account"),
                rs.getString("scopes"),
                instant(rs, "expires_at"),
                rs.getInt("refreshable") == 1,
                instant(rs, "last_refresh_at"),
                rs.getString("last_error"),
                rs.getInt("refresh_failures"),
                rs.getLong("version"),
                instant(rs, "updated_at"));
    }
}
