package io.authrelay.core.fake;

import io.authrelay.core.vault.SealedSecretRepository;
import io.authrelay.core.vault.SecretRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Ciphertexts by ref; a compare-and-swap expects the very array that {@link #find} returned. */
public final class InMemorySealedSecrets implements SealedSecretRepository {
    private final Map<SecretRef, byte[]> sealed = new ConcurrentHashMap<>();

    @Override
    public void upsert(SecretRef ref, long keyId, byte[] ciphertext) {
        sealed.put(ref, ciphertext);
    }

    @Override
    public Optional<byte[]> find(SecretRef ref) {
        return Optional.ofNullable(sealed.get(ref));
    }

    @Override
    public boolean delete(SecretRef ref) {
        return sealed.remove(ref) != null;
    }

    @Override
    public List<SecretRef> refsNotSealedBy(long keyId) {
        return keyId == 1 ? List.of() : List.copyOf(sealed.keySet());
    }

    @Override
    public boolean compareAndSwap(SecretRef ref, byte[] expected, long newKeyId, byte[] replacement) {
        return sealed.replace(ref, expected, replacement);
    }

    @Override
    public Map<Long, Long> countByKey() {
        return Map.of(1L, (long) sealed.size());
    }
}
