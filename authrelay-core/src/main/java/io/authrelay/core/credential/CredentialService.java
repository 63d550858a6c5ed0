package io.authrelay.core.credential;

import io.authrelay.core.DomainException;
import io.authrelay.core.Transactions;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.login.DeviceFlowClient;
import io.authrelay.core.login.LoginScheduler;
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
    private final CredentialRefresher refresher;
    private final DeviceFlowClient client;
    private final LoginScheduler scheduler;
    private final Clock clock;

    public CredentialService(
            ProviderService providers,
            CredentialRepository credentials,
            SecretStore secrets,
            CredentialRefresher refresher,
            DeviceFlowClient client,
            LoginScheduler scheduler,
            AuditLog audit,
            Transactions tx,
            Clock clock) {
        this.refresher = refresher;
        this.client = client;
        this.scheduler = scheduler;
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
            throw DomainException.invalid(
                    "not_a_static_provider",
                    "provider '" + providerName + "' gets its credential by logging in, not by setting it",
                    "run: authrelay login " + providerName);
        }
        Credential credential = Credential.fresh(providerName, provider.username(), null, null, false, clock.instant());
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

    /** Reads a fresh access secret, refreshing it first when stale; the read is audited whether or not it succeeds. */
    public Secret reveal(String providerName, Actor actor) {
        try {
            Secret secret = refresher.freshAccessToken(providerName);
            audit.append(clock.instant(), actor, "credential.read", providerName, AuditLog.OK, null);
            return secret;
        } catch (DomainException e) {
            audit.append(clock.instant(), actor, "credential.read", providerName, AuditLog.FAILED, e.code());
            throw e;
        }
    }

    /**
     * Revokes the tokens where the provider offers revocation, then deletes the credential.
     * @return whether the provider confirmed a revocation
     */
    public boolean logout(String providerName, Actor actor) {
        Provider provider = providers.get(providerName);
        credentials.find(providerName).orElseThrow(() -> CredentialRefresher.notConnected(providerName));
        boolean revoked = false;
        if (provider.kind().usesDeviceFlow()) {
            for (SecretRef ref :
                    new SecretRef[] {SecretRef.credentialRefresh(providerName), SecretRef.credentialAccess(providerName)
                    }) {
                Secret token = secrets.get(ref).orElse(null);
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
        tx.inTransaction(() -> {
            if (!credentials.delete(providerName)) throw CredentialRefresher.notConnected(providerName);
            secrets.delete(SecretRef.credentialAccess(providerName));
            secrets.delete(SecretRef.credentialRefresh(providerName));
            audit.append(clock.instant(), actor, "credential.delete", providerName, AuditLog.OK, null);
            return null;
        });
    }
}
