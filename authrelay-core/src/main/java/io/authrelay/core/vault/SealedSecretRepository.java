package io.authrelay.core.vault;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage port for ciphertexts. Plaintext never reaches it. */
public interface SealedSecretRepository {
    void upsert(SecretRef ref, long keyId, byte[] ciphertext);

    Optional<byte[]> find(SecretRef ref);

    boolean delete(SecretRef ref);

    /** Every stored ref whose ciphertext was not sealed by {@code keyId}. */
    List<SecretRef> refsNotSealedBy(long keyId);

    /** Replaces the ciphertext only if it is still {@code expected}, so a concurrent write is never overwritten. */
    boolean compareAndSwap(SecretRef ref, byte[] expected, long newKeyId, byte[] replacement);

    Map<Long, Long> countByKey();
}
