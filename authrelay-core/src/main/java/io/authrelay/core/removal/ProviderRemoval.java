package io.authrelay.core.removal;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.RefreshScheduler;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.LoginSession;
import io.authrelay.core.login.LoginSessionRepository;
import io.authrelay.core.provider.ProviderRepository;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.workspace.WorkspaceRepository;
import java.util.List;

/**
 * Removing a provider and what hangs on it. Nothing goes implicitly (the database has no cascading deletes):
 * while the provider has a credential or grants, removal is refused with the list of what would go unless it is
 * forced; then grants, login sessions with their sealed device codes and timeline, and the credential with its
 * sealed tokens go with the provider in one transaction, and the audit says what went.
 */
public final class ProviderRemoval {
    private static final int EVERY_SESSION = Integer.MAX_VALUE;

    private record Removed(ProviderUsage usage, List<String> pendingLogins) {}

    private final ServiceContext context;
    private final ProviderRepository providers;
    private final CredentialRepository credentials;
    private final ConnectionWriter writer;
    private final LoginSessionRepository sessions;
    private final WorkspaceRepository workspaces;
    private final LoginScheduler loginScheduler;
    private final RefreshScheduler refreshScheduler;

    public ProviderRemoval(
            ServiceContext context,
            ProviderRepository providers,
            CredentialRepository credentials,
            ConnectionWriter writer,
            LoginSessionRepository sessions,
            WorkspaceRepository workspaces,
            LoginScheduler loginScheduler,
            RefreshScheduler refreshScheduler) {
        this.context = context;
        this.providers = providers;
        this.credentials = credentials;
        this.writer = writer;
        this.sessions = sessions;
        this.workspaces = workspaces;
        this.loginScheduler = loginScheduler;
        this.refreshScheduler = refreshScheduler;
    }

    /**
     * @param force also delete the credential and grants; without it a provider that has either is refused
     * @return what was deleted with the provider
     */
    public ProviderUsage remove(String name, boolean force, Actor actor) {
        Removed removed = context.tx().inTransaction(() -> {
            context.providers().get(name);
            List<LoginSession> logins = sessions.recent(name, EVERY_SESSION);
            ProviderUsage usage =
                    new ProviderUsage(credentials.find(name).isPresent(), workspaces.grantHolders(name), logins.size());
            if (usage.needsForce() && !force) throw inUse(name, usage);
            workspaces.deleteGrants(name);
            logins.forEach(login -> context.secrets().retire(SecretRef.deviceCode(login.id())));
            sessions.deleteFor(name);
            context.timeline().forget(name);
            writer.erase(name);
            providers.delete(name);
            context.audit()
                    .append(
                            context.clock().instant(),
                            actor,
                            "provider.remove",
                            name,
                            AuditLog.OK,
                            usage.describe().isEmpty() ? null : "deleted " + usage.describe());
            List<String> pending = logins.stream()
                    .filter(login -> !login.status().isTerminal())
                    .map(LoginSession::id)
                    .toList();
            return new Removed(usage, pending);
        });
        // After the commit, as the scheduler has its own connection; a task that runs first finds nothing and ends.
        removed.pendingLogins().forEach(loginScheduler::cancelPoll);
        refreshScheduler.cancelRefresh(name);
        return removed.usage();
    }

    private static DomainException inUse(String name, ProviderUsage usage) {
        return DomainException.conflict(
                "provider_in_use",
                "provider '" + name + "' is in use: removing it deletes " + usage.describe(),
                "to delete it with all of that: authrelay provider remove " + name
                        + " --force (API: DELETE /v1/providers/" + name + "?force=true)");
    }
}
