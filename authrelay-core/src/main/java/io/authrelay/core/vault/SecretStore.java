package io.authrelay.core.vault;

import io.authrelay.core.redaction.SecretRedactor;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Seals secrets on the way into storage and opens them on the way out; every value it touches is registered for redaction. */
public final class SecretStore {
    private final Vault vault;
    private final SealedSecretRepository repository;

    public SecretStore(Vault vault, SealedSecretRepository repository) {
        this.vault = vault;
        this.repository = repository;
    }

    public void put(SecretRef ref, Secret secret) {
        SecretRedactor.register(secret.value());
        byte[] ciphertext = vault.seal(secret.value().getBytes(StandardCharsets.UTF_8), ref);
        repository.upsert(ref, vault.keyIdOf(ciphertext), ciphertext);
    }

    public Optional<Secret> get(SecretRef ref) {
        return repository.find(ref).map(ciphertext -> {
            Secret secret = new Secret(new String(vault.open(ciphertext, ref), StandardCharsets.UTF_8));
            SecretRedactor.register(secret.value());
            return secret;
        });
    }

    public boolean delete(SecretRef ref) {
        return repository.delete(ref);
    }

    /**
     * Deletes a secret that is worthless once deleted (a device code whose login ended) and takes it off the log
     * redactor's list, which otherwise grows with every login a long-running daemon has seen.
     */
    public boolean retire(SecretRef ref) {
        Optional<byte[]> sealed = repository.find(ref);
        boolean deleted = repository.delete(ref);
        try {
            sealed.ifPresent(ciphertext ->
                    SecretRedactor.forget(new String(vault.open(ciphertext, ref), StandardCharsets.UTF_8)));
        } catch (RuntimeException keysetBehind) {
            // Unreadable here, so never registered by this process: nothing to forget, and the row is gone anyway.
        }
        return deleted;
    }
}
