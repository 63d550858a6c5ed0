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
}
