package io.authrelay.server.sql;

import io.authrelay.core.vault.SealedSecretRepository;
import io.authrelay.core.vault.SecretRef;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;

public final class SqlSealedSecretRepository implements SealedSecretRepository {
    private static final String WHERE_REF = " WHERE owner_kind = :ownerKind AND owner_id = :ownerId AND field = :field";
    private final Database db;
    private final ReadCache<SecretRef, byte[]> cache;
    private final Clock clock;

    public SqlSealedSecretRepository(Database db, Clock clock) {
        this.db = db;
        this.cache = new ReadCache<>(db, "sealed_secret");
        this.clock = clock;
    }

    @Override
    public void upsert(SecretRef ref, long keyId, byte[] ciphertext) {
        cache.write(h -> bindRef(h.createUpdate("""
                INSERT INTO sealed_secret(owner_kind, owner_id, field, key_id, ciphertext, updated_at)
                VALUES (:ownerKind, :ownerId, :field, :keyId, :ciphertext, :now)
                ON CONFLICT(owner_kind, owner_id, field) DO UPDATE SET key_id = excluded.key_id,
                    ciphertext = excluded.ciphertext, updated_at = excluded.updated_at"""), ref)
                .bind("keyId", keyId)
                .bind("ciphertext", ciphertext)
                .bind("now", clock.millis())
                .execute());
    }

    @Override
    public Optional<byte[]> find(SecretRef ref) {
        return cache.get(
                ref,
                () -> db.with(h -> bindRef(h.createQuery("SELECT ciphertext FROM sealed_secret" + WHERE_REF), ref)
                        .mapTo(byte[].class)
                        .findOne()));
    }

    @Override
    public boolean delete(SecretRef ref) {
        return cache.revoke(h -> bindRef(h.createUpdate("DELETE FROM sealed_secret" + WHERE_REF), ref)
                        .execute())
                == 1;
    }

    @Override
    public List<SecretRef> refsNotSealedBy(long keyId) {
        return db.with(
                h -> h.createQuery("SELECT owner_kind, owner_id, field FROM sealed_secret WHERE key_id <> :keyId")
                        .bind("keyId", keyId)
                        .map((rs, ctx) -> new SecretRef(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .list());
    }

    @Override
    public boolean compareAndSwap(SecretRef ref, byte[] expected, long newKeyId, byte[] replacement) {
        return cache.write(h -> bindRef(
                                h.createUpdate(
                                        "UPDATE sealed_secret SET key_id = :keyId, ciphertext = :replacement, updated_at = :now"
                                                + WHERE_REF + " AND ciphertext = :expected"),
                                ref)
                        .bind("keyId", newKeyId)
                        .bind("replacement", replacement)
                        .bind("expected", expected)
                        .bind("now", clock.millis())
                        .execute())
                == 1;
    }

    @Override
    public Map<Long, Long> countByKey() {
        return db.with(h -> {
            Map<Long, Long> counts = new LinkedHashMap<>();
            h.createQuery("SELECT key_id, COUNT(*) FROM sealed_secret GROUP BY key_id")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    private static <S extends SqlStatement<S>> S bindRef(S statement, SecretRef ref) {
        return statement
                .bind("ownerKind", ref.ownerKind())
                .bind("ownerId", ref.ownerId())
                .bind("field", ref.field());
    }
}
