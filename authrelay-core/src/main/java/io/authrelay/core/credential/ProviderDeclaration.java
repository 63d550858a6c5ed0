package io.authrelay.core.credential;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderRepository;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.core.service.ServiceContext;
import java.time.Instant;
import java.util.Optional;

/**
 * Adds or replaces a provider declared in configuration (providers.yaml). A provider redeclared as another
 * kind loses its credential: the tokens were issued for the old kind.
 */
public final class ProviderDeclaration {
    private final ServiceContext context;
    private final ProviderRepository providers;
    private final CredentialRepository credentials;

    public ProviderDeclaration(ServiceContext context, ProviderRepository providers, CredentialRepository credentials) {
        this.context = context;
        this.providers = providers;
        this.credentials = credentials;
    }

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
            context.audit()
                    .append(
                            context.clock().instant(),
                            actor,
                            "provider.declare",
                            spec.name(),
                            AuditLog.OK,
                            "type=" + provider.kind().wireName());
            return provider;
        });
    }

    private static Provider withCreatedAt(Provider p, Instant createdAt) {
        return new Provider(p.name(), p.kind(), p.host(), p.username(), p.oauth(), createdAt);
    }
}
