package io.authrelay.core.vault;

import java.util.List;
import java.util.Map;

/**
 * Online key rotation: the new primary key is persisted first, so a crash half-way leaves every
 * ciphertext readable (old keys stay in the keyset); then each secret is re-sealed with compare-and-swap
 * so a concurrent credential write is never clobbered by a stale re-encryption.
 */
public final class KeyRotation {
    public record Result(long newPrimaryKeyId, int resealed) {}

    public record KeyUsage(KeyManager.KeyInfo key, long secrets) {}

    private final Vault vault;
    private final KeyManager keys;
    private final SealedSecretRepository repository;

    public KeyRotation(Vault vault, KeyManager keys, SealedSecretRepository repository) {
        this.vault = vault;
        this.keys = keys;
        this.repository = repository;
    }

    public Result rotate() {
        // The ordering that survives a power loss: addPrimaryKey returns only when the keyset with the new key is
        // durable (TinkVault: fsynced, renamed, directory fsynced), so no row re-sealed below can reach disk without
        // it.
        long primary = keys.addPrimaryKey();
        return new Result(primary, resealAllWith(primary));
    }

    /** Re-seals whatever is not yet under {@code primary}; also finishes a rotation that was interrupted. */
    public int resealAllWith(long primary) {
        int resealed = 0;
        for (SecretRef ref : repository.refsNotSealedBy(primary)) {
            for (int attempt = 0; attempt < 5; attempt++) {
                byte[] current = repository.find(ref).orElse(null);
                if (current == null || vault.keyIdOf(current) == primary) break;
                byte[] replacement = vault.seal(vault.open(current, ref), ref);
                if (repository.compareAndSwap(ref, current, vault.keyIdOf(replacement), replacement)) {
                    resealed++;
                    break;
                }
            }
        }
        return resealed;
    }

    public List<KeyUsage> status() {
        Map<Long, Long> counts = repository.countByKey();
        return keys.keys().stream()
                .map(k -> new KeyUsage(k, counts.getOrDefault(k.id(), 0L)))
                .toList();
    }
}
