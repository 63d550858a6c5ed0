package io.authrelay.server.sql;

import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class SqlCredentialRepository implements CredentialRepository {
    private final Database db;

    public SqlCredentialRepository(Database db) {
        this.db = db;
    }

    @Override
    public void upsert(Credential c) {
        db.with(h -> h.createUpdate("""
                INSERT INTO credential(provider, state, account, expires_at, updated_at)
                VALUES (:provider, :state, :account, :expiresAt, :updatedAt)
                ON CONFLICT(provider) DO UPDATE SET state = excluded.state, account = excluded.account,
                    expires_at = excluded.expires_at, updated_at = excluded.updated_at""")
                .bind("provider", c.provider()).bind("state", c.state().wireName()).bind("account", c.account())
                .bind("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toEpochMilli())
                .bind("updatedAt", c.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<Credential> find(String provider) {
        return db.with(h -> h.createQuery("SELECT * FROM credential WHERE provider = :provider").bind("provider", provider)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<Credential> list() {
        return db.with(h -> h.createQuery("SELECT * FROM credential ORDER BY provider").map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public boolean delete(String provider) {
        return db.with(h -> h.createUpdate("DELETE FROM credential WHERE provider = :provider").bind("provider", provider).execute()) == 1;
    }

    private static Credential map(ResultSet rs) throws SQLException {
        long expires = rs.getLong("expires_at");
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        return new Credential(rs.getString("provider"), CredentialState.fromWire(rs.getString("state")), rs.getString("account"),
                expiresAt, Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
