package io.authrelay.core.credential;

import io.authrelay.core.DomainException;
import io.authrelay.core.Transactions;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import java.time.Clock;
import java.util.List;

/** Writing, reading and deleting the credential a provider holds; every one of them is audited. */
public final class CredentialService {
    private final ProviderService providers;
    private final CredentialRepository credentials;
    private final SecretStore secrets;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public CredentialService(ProviderService providers, CredentialRepository credentials, SecretStore secrets,
                             AuditLog audit, Transactions tx, Clock clock) {
        this.providers = providers;
        this.credentials = credentials;
        this.secrets = secrets;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Credential setStatic(String providerName, Secret secret, Actor actor) {
        Provider provider = providers.get(providerName);
        if (provider.kind() != ProviderKind.STATIC) {
            throw DomainException.invalid("not_a_static_provider",
                    "provider '" + providerName + "' gets its credential by logging in, not by setting it",
                    "run: authrelay login " + providerName);
        }
        Credential credential = new Credential(providerName, CredentialState.CONNECTED, provider.username(), null, clock.instant());
        return tx.inTransaction(() -> {
            secrets.put(SecretRef.credentialAccess(providerName), secret);
            credentials.upsert(credential);
            audit.append(clock.instant(), actor, "credential.write", providerName, AuditLog.OK, null);
            return credential;
        });
    }

    public List<Credential> list() {
        return credentials.list();
    }

    /** Reads the secret; the read is audited whether or not it succeeds. */
    public Secret reveal(String providerName, Actor actor) {
        var secret = credentials.find(providerName).flatMap(c -> secrets.get(SecretRef.credentialAccess(providerName)));
        audit.append(clock.instant(), actor, "credential.read", providerName, secret.isPresent() ? AuditLog.OK : AuditLog.FAILED,
                secret.isPresent() ? null : "no credential");
        return secret.orElseThrow(() -> notFound(providerName));
    }

    public void delete(String providerName, Actor actor) {
        tx.inTransaction(() -> {
            if (!credentials.delete(providerName)) throw notFound(providerName);
            secrets.delete(SecretRef.credentialAccess(providerName));
            audit.append(clock.instant(), actor, "credential.delete", providerName, AuditLog.OK, null);
            return null;
        });
    }

    private static DomainException notFound(String providerName) {
        return DomainException.notFound("credential_not_found", "provider '" + providerName + "' has no credential",
                "store one with: authrelay credential set " + providerName);
    }
}
