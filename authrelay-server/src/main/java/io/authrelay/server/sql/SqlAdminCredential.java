package io.authrelay.server.sql;

import java.time.Instant;
import java.util.Optional;

/** The admin token's hash: the only form in which the daemon keeps it. */
public final class SqlAdminCredential {
    private final Database db;

    public SqlAdminCredential(Database db) {
        this.db = db;
    }

    public Optional<String> tokenHash() {
        return db.with(h -> h.createQuery("SELECT token_hash FROM admin_credential WHERE id = 1")
                .mapTo(String.class)
                .findOne());
    }

    public void replace(String tokenHash, Instant now) {
        db.with(h -> h.createUpdate("""
                INSERT INTO admin_credential(id, token_hash, created_at) VALUES (1, :hash, :now)
                ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at""")
                .bind("hash", tokenHash)
                .bind("now", now.toEpochMilli())
                .execute());
    }
}
