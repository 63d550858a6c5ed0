package io.authrelay.core.provider;

import io.authrelay.core.DomainException;
import io.authrelay.core.Transactions;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import java.time.Clock;
import java.util.List;

/** Adding, listing and removing providers. Removing one also destroys its credential. */
public final class ProviderService {
    private final ProviderRepository providers;
    private final CredentialRepository credentials;
    private final SecretStore secrets;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public ProviderService(ProviderRepository providers, CredentialRepository credentials, SecretStore secrets,
                           AuditLog audit, Transactions tx, Clock clock) {
        this.providers = providers;
        this.credentials = credentials;
        this.secrets = secrets;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Provider add(String name, String type, String host, String username, Actor actor) {
        Provider provider = new Provider(name, ProviderKind.fromWire(type), host, username, clock.instant());
        return tx.inTransaction(() -> {
            if (!providers.insert(provider)) {
                throw DomainException.conflict("provider_exists", "provider '" + name + "' already exists",
                        "remove it first with: authrelay provider remove " + name);
            }
            audit.append(clock.instant(), actor, "provider.add", name, AuditLog.OK, "type=" + type + " host=" + host);
            return provider;
        });
    }

    public List<Provider> list() {
        return providers.list();
    }

    public Provider get(String name) {
        return providers.find(name).orElseThrow(() -> notFound(name));
    }

    public void remove(String name, Actor actor) {
        tx.inTransaction(() -> {
            if (!providers.delete(name)) throw notFound(name);
            credentials.delete(name);
            secrets.delete(SecretRef.credentialAccess(name));
            audit.append(clock.instant(), actor, "provider.remove", name, AuditLog.OK, null);
            return null;
        });
    }

    static DomainException notFound(String name) {
        return DomainException.notFound("provider_not_found", "no provider named '" + name + "'",
                "list providers with: authrelay provider list");
    }
}
