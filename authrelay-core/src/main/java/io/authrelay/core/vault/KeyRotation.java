package io.authrelay.core.vault;

import io.authrelay.core.DomainException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Online key rotation: the new primary key is persisted first, so a crash half-way leaves every
 * ciphertext readable (old keys stay in the keyset); then each secret is re-sealed with compare-and-swap
 * so a concurrent credential write is never clobbered by a stale re-encryption.
 *
 * <p>On a shared store (several replicas, each with its own copy of the keyset) one daemon cannot add a key to the
 * others' keysets, and a replica still holding the old primary would seal rows back under it. There rotation is done
 * in two phases by the operator: the new key is added to every replica's keyset, then promoted in every one, and only
 * then {@link #reseal()} moves the rows; {@link #rotate()} and {@link #finishInterruptedRotation()} refuse or do
 * nothing.
 */
public final class KeyRotation {
    public record Result(long newPrimaryKeyId, int resealed) {}

    public record KeyUsage(KeyManager.KeyInfo key, long secrets) {}

    private final Vault vault;
    private final KeyManager keys;
    private final SealedSecretRepository repository;
    private final boolean shared;
    private final Supplier<Map<String, Long>> otherPrimaries;

    /**
     * @param shared other daemons, each with its own copy of the keyset, read and write the same rows
     * @param otherPrimaries each other live replica's primary key id, by replica name (empty when alone)
     */
    public KeyRotation(
            Vault vault,
            KeyManager keys,
            SealedSecretRepository repository,
            boolean shared,
            Supplier<Map<String, Long>> otherPrimaries) {
        this.vault = vault;
        this.keys = keys;
        this.repository = repository;
        this.shared = shared;
        this.otherPrimaries = otherPrimaries;
    }

    /** @throws DomainException (conflict) on a shared store: rotation there takes the two phases */
    public Result rotate() {
        if (shared) {
            throw DomainException.conflict(
                    "rotation_needs_two_phases",
                    "keys rotate would change only this replica's keyset, and the database is shared with other"
                            + " replicas",
                    "rotate in two phases: authrelay keys add --keyset FILE, give every replica that keyset and restart"
                            + " each; then authrelay keys promote KEY_ID --keyset FILE, the same again, and authrelay"
                            + " keys reseal (docs/deploy.md, Key rotation across replicas)");
        }
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

    /**
     * Re-seals every row under this daemon's primary key: the last step of a two-phase rotation, once every replica
     * runs with the promoted keyset.
     *
     * @throws DomainException (conflict) when rows are sealed under keys this keyset lacks: it is behind another's
     */
    public Result reseal() {
        List<Long> missing = keysNotHeld();
        if (!missing.isEmpty()) {
            throw DomainException.conflict(
                    "keyset_behind",
                    "rows are sealed under key(s) " + missing + ", which this daemon's keyset does not hold",
                    "give this replica the newest keyset and restart it, or reseal from a replica that has it");
        }
        long primary = primary();
        Map<String, Long> behind = new TreeMap<>(otherPrimaries.get());
        behind.values().removeIf(key -> key == primary);
        if (!behind.isEmpty()) {
            throw DomainException.conflict(
                    "replicas_on_another_key",
                    "replica(s) " + behind + " still seal under another primary key than this replica's " + primary
                            + ": what they write would stay under it",
                    "give every replica the promoted keyset and restart it, then reseal");
        }
        return new Result(primary, resealAllWith(primary));
    }

    /**
     * At start: finishes a rotation a crash interrupted (a no-op when every row is under the primary). Not on a shared
     * store, where a replica that still has the old primary would seal rows back under it.
     */
    public void finishInterruptedRotation() {
        if (!shared) resealAllWith(primary());
    }

    /** The keys rows are sealed under that this keyset does not hold: empty unless another replica is ahead. */
    public List<Long> keysNotHeld() {
        Set<Long> held = keys.keys().stream().map(KeyManager.KeyInfo::id).collect(Collectors.toSet());
        return repository.countByKey().keySet().stream()
                .filter(id -> !held.contains(id))
                .sorted()
                .toList();
    }

    private long primary() {
        return keys.keys().stream()
                .filter(KeyManager.KeyInfo::primary)
                .findFirst()
                .orElseThrow()
                .id();
    }

    public List<KeyUsage> status() {
        Map<Long, Long> counts = repository.countByKey();
        return keys.keys().stream()
                .map(k -> new KeyUsage(k, counts.getOrDefault(k.id(), 0L)))
                .toList();
    }
}
