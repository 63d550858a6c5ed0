package io.authrelay.core.vault;

import io.authrelay.core.redaction.SecretRedactor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Seals secrets on the way into storage and opens them on the way out; every value it touches is registered for redaction. */
public final class SecretStore {
    /** Far more than the secrets one daemon vends; past it the cache starts over rather than grow. */
    private static final int MAX_OPENED = 1_000;

    /** A secret opened from exactly this ciphertext. */
    private record Opened(byte[] ciphertext, Secret secret) {}

    private final Vault vault;
    private final SealedSecretRepository repository;
    /**
     * The last secret opened per reference, so that a vend does not decrypt again what it decrypted before. It is
     * used only when the row read now holds the very ciphertext it was opened from: the row is still read on every
     * call, so a deleted, replaced or rotated secret (or a row another replica changed, as far as the repository
     * sees it) is never served from here; the cache saves the decryption, never the read.
     */
    private final ConcurrentHashMap<SecretRef, Opened> opened = new ConcurrentHashMap<>();

    public SecretStore(Vault vault, SealedSecretRepository repository) {
        this.vault = vault;
        this.repository = repository;
    }

    public void put(SecretRef ref, Secret secret) {
        SecretRedactor.register(secret.value());
        byte[] ciphertext = vault.seal(secret.value().getBytes(StandardCharsets.UTF_8), ref);
        repository.upsert(ref, vault.keyIdOf(ciphertext), ciphertext);
        opened.remove(ref);
    }

    public Optional<Secret> get(SecretRef ref) {
        return repository.find(ref).map(ciphertext -> {
            Opened last = opened.get(ref);
            if (last != null && Arrays.equals(last.ciphertext(), ciphertext)) return last.secret();
            Secret secret = new Secret(new String(vault.open(ciphertext, ref), StandardCharsets.UTF_8));
            SecretRedactor.register(secret.value());
            if (opened.size() >= MAX_OPENED) opened.clear();
            opened.put(ref, new Opened(ciphertext.clone(), secret));
            return secret;
        });
    }

    public boolean delete(SecretRef ref) {
        opened.remove(ref); // not needed for correctness (the row is read first); the plaintext need not stay
        return repository.delete(ref);
    }

    /**
     * Deletes a secret that is worthless once deleted (a device code whose login ended) and takes it off the log
     * redactor's list, which otherwise grows with every login a long-running daemon has seen.
     */
    public boolean retire(SecretRef ref) {
        Optional<byte[]> sealed = repository.find(ref);
        boolean deleted = repository.delete(ref);
        opened.remove(ref);
        try {
            sealed.ifPresent(ciphertext ->
                    SecretRedactor.forget(new String(vault.open(ciphertext, ref), StandardCharsets.UTF_8)));
        } catch (RuntimeException keysetBehind) {
            // Unreadable here, so never registered by this process: nothing to forget, and the row is gone anyway.
        }
        return deleted;
    }
}
