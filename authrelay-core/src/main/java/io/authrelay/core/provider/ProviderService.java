package io.authrelay.core.provider;

import io.authrelay.core.DomainException;
import io.authrelay.core.Names;
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
    private final OAuthEndpointResolver endpoints;
    private final Clock clock;

    public ProviderService(
            ProviderRepository providers,
            CredentialRepository credentials,
            SecretStore secrets,
            OAuthEndpointResolver endpoints,
            AuditLog audit,
            Transactions tx,
            Clock clock) {
        this.endpoints = endpoints;
        this.providers = providers;
        this.credentials = credentials;
        this.secrets = secrets;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Provider add(ProviderSpec spec, Actor actor) {
        Provider provider = build(spec);
        return tx.inTransaction(() -> {
            if (!providers.insert(provider)) {
                throw DomainException.conflict(
                        "provider_exists",
                        "provider '" + spec.name() + "' already exists",
                        "remove it first with: authrelay provider remove " + spec.name());
            }
            audit.append(
                    clock.instant(),
                    actor,
                    "provider.add",
                    spec.name(),
                    AuditLog.OK,
                    "type=" + provider.kind().wireName() + " host=" + provider.host());
            return provider;
        });
    }

    /** Adds or replaces a provider declared in configuration (providers.yaml); its credential is kept when the kind is unchanged. */
    public Provider declare(ProviderSpec spec, Actor actor) {
        Provider provider = build(spec);
        return tx.inTransaction(() -> {
            var existing = providers.find(spec.name());
            if (existing.isPresent()
                    && existing.get()
                            .equals(withCreatedAt(provider, existing.get().createdAt()))) return existing.get();
            if (existing.isPresent()) {
                providers.delete(spec.name());
                if (existing.get().kind() != provider.kind()) credentials.delete(spec.name());
            }
            providers.insert(provider);
            audit.append(
                    clock.instant(),
                    actor,
                    "provider.declare",
                    spec.name(),
                    AuditLog.OK,
                    "type=" + provider.kind().wireName());
            return provider;
        });
    }

    private Provider build(ProviderSpec spec) {
        Names.require("provider", spec.name());
        ProviderKind kind = ProviderKind.fromWire(spec.type());
        if (!kind.usesDeviceFlow()) {
            return new Provider(spec.name(), kind, spec.host(), spec.username(), null, clock.instant());
        }
        OAuthSettings oauth = endpoints.resolve(kind, spec);
        String host = spec.host() != null ? spec.host() : endpoints.defaultHost(kind, spec, oauth);
        return new Provider(spec.name(), kind, host, spec.username(), oauth, clock.instant());
    }

    private static Provider withCreatedAt(Provider p, java.time.Instant createdAt) {
        return new Provider(p.name(), p.kind(), p.host(), p.username(), p.oauth(), createdAt);
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
            secrets.delete(SecretRef.credentialRefresh(name));
            audit.append(clock.instant(), actor, "provider.remove", name, AuditLog.OK, null);
            return null;
        });
    }

    static DomainException notFound(String name) {
        return DomainException.notFound(
                "provider_not_found",
                "no provider named '" + name + "'",
                "list providers with: authrelay provider list");
    }
}
