package io.authrelay.core.credential;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.provider.ProviderRepository;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.SecretRef;

/** Removes a provider together with its credential and the credential's sealed tokens, in one transaction. */
public final class ProviderRemoval {
    private final ServiceContext context;
    private final ProviderRepository providers;
    private final CredentialRepository credentials;

    public ProviderRemoval(ServiceContext context, ProviderRepository providers, CredentialRepository credentials) {
        this.context = context;
        this.providers = providers;
        this.credentials = credentials;
    }

    public void remove(String name, Actor actor) {
        context.tx().inTransaction(() -> {
            if (!providers.delete(name)) throw ProviderService.notFound(name);
            credentials.delete(name);
            context.secrets().delete(SecretRef.credentialAccess(name));
            context.secrets().delete(SecretRef.credentialRefresh(name));
            context.audit().append(context.clock().instant(), actor, "provider.remove", name, AuditLog.OK, null);
            return null;
        });
    }
}
