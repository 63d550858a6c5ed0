package io.authrelay.server.sql;

import static io.authrelay.server.sql.SqlCredentialRepository.instant;

import io.authrelay.core.apitoken.ApiToken;
import io.authrelay.core.apitoken.ApiTokenRepository;
import io.authrelay.core.auth.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens in {@code api_token}. No read cache: a revocation must hold from the very next request, and these tokens
 * are not on a hot path (a scrape every few seconds at most).
 */
public final class SqlApiTokenRepository implements ApiTokenRepository {
    private final Database db;

    public SqlApiTokenRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean insert(ApiToken t) {
        return db.with(h -> h.createUpdate("""
                        INSERT INTO api_token(id, name, token_hash, scope, created_at)
                        VALUES (:id, :name, :hash, :scope, :createdAt) ON CONFLICT(name) DO NOTHING""")
                        .bind("id", t.id())
                        .bind("name", t.name())
                        .bind("hash", t.tokenHash())
                        .bind("scope", t.scope().wireName())
                        .bind("createdAt", t.createdAt().toEpochMilli())
                        .execute())
                == 1;
    }

    @Override
    public Optional<ApiToken> findByName(String name) {
        return findOne("name", name);
    }

    @Override
    public Optional<ApiToken> findByTokenHash(String tokenHash) {
        return findOne("token_hash", tokenHash);
    }

    @Override
    public List<ApiToken> list() {
        return db.with(h -> h.createQuery("SELECT * FROM api_token ORDER BY name")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public boolean revoke(String name, Instant at) {
        return db.with(h -> h.createUpdate(
                                "UPDATE api_token SET revoked_at = :at WHERE name = :name AND revoked_at IS NULL")
                        .bind("at", at.toEpochMilli())
                        .bind("name", name)
                        .execute())
                == 1;
    }

    @Override
    public void recordUse(String id, Instant at, Instant notBefore) {
        db.with(h -> h.createUpdate("""
                        UPDATE api_token SET last_used_at = :at
                        WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :notBefore)""")
                .bind("at", at.toEpochMilli())
                .bind("id", id)
                .bind("notBefore", notBefore.toEpochMilli())
                .execute());
    }

    /** {@code column} is one of ours, never user input. */
    private Optional<ApiToken> findOne(String column, String value) {
        return db.with(h -> h.createQuery("SELECT * FROM api_token WHERE " + column + " = :value")
                .bind("value", value)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    private static ApiToken map(ResultSet rs) throws SQLException {
        return new ApiToken(
                rs.getString("id"),
                rs.getString("name"),
                Scope.parse(rs.getString("scope")),
                rs.getString("token_hash"),
                instant(rs, "created_at"),
                instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }
}
