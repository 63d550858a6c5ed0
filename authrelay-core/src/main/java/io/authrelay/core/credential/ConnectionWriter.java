package io.authrelay.core.credential;

import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import java.time.Instant;

/** Writes (and erases) a provider's tokens and their metadata together; callers run it inside a transaction. */
public final class ConnectionWriter {
    private final CredentialRepository credentials;
    private final SecretStore secrets;

    public ConnectionWriter(CredentialRepository credentials, SecretStore secrets) {
        this.credentials = credentials;
        this.secrets = secrets;
    }

    public Credential connect(String provider, TokenSet tokens, Identity identity, Instant now) {
        Credential credential = Credential.fresh(
                provider,
                identity.account(),
                identity.scopes(),
                tokens.expiresAt(),
                tokens.refreshToken() != null,
                now);
        storeSecrets(provider, tokens);
        credentials.upsert(credential);
        return credentials.find(provider).orElseThrow();
    }

    /** @return false when another writer changed the credential since {@code current} was read */
    public boolean refreshed(Credential current, TokenSet tokens, Instant now) {
        if (!credentials.compareAndSet(current.refreshed(tokens.expiresAt(), tokens.scopes(), now), current.version()))
            return false;
        storeSecrets(current.provider(), tokens);
        return true;
    }

    /**
     * Deletes the credential with its sealed access and refresh tokens, so no ciphertext outlives its row.
     * @return false when there was no credential
     */
    public boolean erase(String provider) {
        boolean existed = credentials.delete(provider);
        secrets.delete(SecretRef.credentialAccess(provider));
        secrets.delete(SecretRef.credentialRefresh(provider));
        secrets.delete(SecretRef.credentialFile(provider));
        return existed;
    }

    private void storeSecrets(String provider, TokenSet tokens) {
        secrets.put(SecretRef.credentialAccess(provider), tokens.accessToken());
        // A provider that does not rotate keeps answering without a refresh token: the old one stays valid.
        if (tokens.refreshToken() != null) secrets.put(SecretRef.credentialRefresh(provider), tokens.refreshToken());
    }
}
