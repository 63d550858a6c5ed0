package io.authrelay.core.credential;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderRepository;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.SecretRef;
import java.time.Instant;
import java.util.Optional;

/**
 * The provider changes that reach its credential, so they sit above both packages: removing a provider
 * destroys its credential and sealed tokens, and redeclaring it as another kind drops the credential, whose
 * tokens were issued for the old kind.
 */
public final class ProviderLifecycle {
    private final ServiceContext context;
    private final ProviderRepository providers;
    private final CredentialRepository credentials;

    public ProviderLifecycle(ServiceContext context, ProviderRepository providers, CredentialRepository credentials) {
        this.context = context;
        this.providers = providers;
        this.credentials = credentials;
    }

    /** Adds or replaces a provider declared in configuration (providers.yaml). */
    public Provider declare(ProviderSpec spec, Actor actor) {
        Provider provider = context.providers().configure(spec);
        return context.tx().inTransaction(() -> {
            Optional<Provider> existing = providers.find(spec.name());
            if (existing.isPresent()
                    && existing.get()
                            .equals(withCreatedAt(provider, existing.get().createdAt()))) return existing.get();
            if (existing.isPresent()) {
                providers.delete(spec.name());
                if (existing.get().kind() != provider.kind()) credentials.delete(spec.name());
            }
            providers.insert(provider);
            audit(
                    actor,
                    "provider.declare",
                    spec.name(),
                    "type=" + provider.kind().wireName());
            return provider;
        });
    }

    public void remove(String name, Actor actor) {
        context.tx().inTransaction(() -> {
            if (!providers.delete(name)) throw ProviderService.notFound(name);
            credentials.delete(name);
            context.secrets().delete(SecretRef.credentialAccess(name));
            context.secrets().delete(SecretRef.credentialRefresh(name));
            audit(actor, "provider.remove", name, null);
            return null;
        });
    }

    private void audit(Actor actor, String action, String name, String detail) {
        context.audit().append(context.clock().instant(), actor, action, name, AuditLog.OK, detail);
    }

    private static Provider withCreatedAt(Provider p, Instant createdAt) {
        return new Provider(p.name(), p.kind(), p.host(), p.username(), p.oauth(), createdAt);
    }
}
