package io.authrelay.core.credential;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.oauth.DeviceFlowClient;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import java.util.List;

/** Writing, reading and deleting the credential a provider holds; every one of them is audited. */
public final class CredentialService {
    private final ServiceContext context;
    private final CredentialRepository credentials;
    private final ConnectionWriter writer;
    private final CredentialRefresher refresher;
    private final DeviceFlowClient client;
    private final RefreshScheduler scheduler;

    public CredentialService(
            ServiceContext context,
            CredentialRepository credentials,
            ConnectionWriter writer,
            CredentialRefresher refresher,
            DeviceFlowClient client,
            RefreshScheduler scheduler) {
        this.context = context;
        this.credentials = credentials;
        this.writer = writer;
        this.refresher = refresher;
        this.client = client;
        this.scheduler = scheduler;
    }

    public Credential setStatic(String providerName, Secret secret, Actor actor) {
        Provider provider = context.providers().get(providerName);
        if (provider.kind() != ProviderKind.STATIC) {
            throw DomainException.invalid(
                    "not_a_static_provider",
                    "provider '" + providerName + "' gets its credential by logging in, not by setting it",
                    "run: authrelay login " + providerName);
        }
        Credential credential = Credential.fresh(
                providerName,
                provider.username(),
                null,
                null,
                false,
                context.clock().instant());
        return context.tx().inTransaction(() -> {
            context.secrets().put(SecretRef.credentialAccess(providerName), secret);
            credentials.upsert(credential);
            context.audit()
                    .append(context.clock().instant(), actor, "credential.write", providerName, AuditLog.OK, null);
            return credential;
        });
    }

    public List<Credential> list() {
        return credentials.list();
    }

    /** Reads a fresh access secret, refreshing it first when stale; the read is audited whether or not it succeeds. */
    public Secret reveal(String providerName, Actor actor) {
        try {
            Secret secret = refresher.freshAccessToken(providerName);
            context.audit()
                    .append(context.clock().instant(), actor, "credential.read", providerName, AuditLog.OK, null);
            return secret;
        } catch (DomainException e) {
            context.audit()
                    .append(
                            context.clock().instant(),
                            actor,
                            "credential.read",
                            providerName,
                            AuditLog.FAILED,
                            e.code());
            throw e;
        }
    }

    /**
     * Revokes the tokens where the provider offers revocation, then deletes the credential.
     * @return whether the provider confirmed a revocation
     */
    public boolean logout(String providerName, Actor actor) {
        Provider provider = context.providers().get(providerName);
        credentials.find(providerName).orElseThrow(() -> CredentialRefresher.notConnected(providerName));
        boolean revoked = false;
        if (provider.kind().usesDeviceFlow()) {
            for (SecretRef ref :
                    new SecretRef[] {SecretRef.credentialRefresh(providerName), SecretRef.credentialAccess(providerName)
                    }) {
                Secret token = context.secrets().get(ref).orElse(null);
                try {
                    if (token != null) revoked |= client.revoke(provider, token);
                } catch (RuntimeException e) {
                    // Revocation is best effort; the local copy is deleted either way.
                }
            }
        }
        delete(providerName, actor);
        scheduler.cancelRefresh(providerName);
        return revoked;
    }

    public void delete(String providerName, Actor actor) {
        context.tx().inTransaction(() -> {
            if (!writer.erase(providerName)) throw CredentialRefresher.notConnected(providerName);
            context.audit()
                    .append(context.clock().instant(), actor, "credential.delete", providerName, AuditLog.OK, null);
            return null;
        });
    }
}
