package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.service.ServiceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What a workspace may receive, checked when it is written: every grant names a provider that exists and a host that
 * provider serves (its secret goes to that host only), and a grant for a provider that holds no usable credential yet
 * is accepted with a warning, since an admin may connect it later.
 */
public final class WorkspaceGrants {
    /** Grants as parsed, and what the admin should know about them. */
    public record Checked(List<Grant> grants, List<String> warnings) {}

    private final ServiceContext context;
    private final WorkspaceRepository workspaces;
    private final CredentialRepository credentials;

    public WorkspaceGrants(ServiceContext context, WorkspaceRepository workspaces, CredentialRepository credentials) {
        this.context = context;
        this.workspaces = workspaces;
        this.credentials = credentials;
    }

    /** @param specs each {@code PROVIDER[=HOST[/PATHGLOB]]} */
    public Checked check(List<String> specs, boolean allowExec) {
        if (specs == null || specs.isEmpty()) {
            throw DomainException.invalid(
                    "no_grants", "name at least one grant", "for example: --grant github=github.com/my-org/*");
        }
        List<Grant> grants = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String spec : specs) {
            Grant grant = parse(spec, allowExec);
            grants.add(grant);
            String warning = connectionWarning(grant.provider());
            if (warning != null && !warnings.contains(warning)) warnings.add(warning);
        }
        return new Checked(List.copyOf(grants), List.copyOf(warnings));
    }

    /** Adds grants to a workspace; a grant it already has is kept once. */
    public Checked grant(String name, List<String> specs, boolean allowExec, Actor actor) {
        Checked added = check(specs, allowExec);
        Workspace workspace = workspaces.getByName(name);
        List<Grant> grants = new ArrayList<>(workspace.grants());
        for (Grant grant : added.grants()) {
            grants.removeIf(g -> sameTarget(g, grant));
            grants.add(grant);
        }
        save(workspace, grants, actor, "workspace.grant", added.grants());
        return added;
    }

    /** Removes grants; each must be one the workspace has, and at least one grant must remain. */
    public void ungrant(String name, List<String> specs, Actor actor) {
        Workspace workspace = workspaces.getByName(name);
        List<Grant> removed = check(specs, false).grants();
        List<Grant> grants = new ArrayList<>(workspace.grants());
        for (Grant grant : removed) {
            if (!grants.removeIf(g -> sameTarget(g, grant))) {
                throw DomainException.notFound(
                        "grant_not_found",
                        "workspace '" + name + "' has no grant " + grant,
                        "see its grants with: authrelay workspace show " + name);
            }
        }
        if (grants.isEmpty()) {
            throw DomainException.invalid(
                    "no_grants",
                    "workspace '" + name + "' would have no grant left",
                    "revoke it instead: authrelay workspace revoke " + name);
        }
        save(workspace, grants, actor, "workspace.ungrant", removed);
    }

    private void save(Workspace workspace, List<Grant> grants, Actor actor, String action, List<Grant> changed) {
        context.tx().inTransaction(() -> {
            workspaces.replaceGrants(workspace.id(), grants, context.clock().instant());
            context.audit()
                    .append(
                            context.clock().instant(),
                            actor,
                            action,
                            workspace.name(),
                            AuditLog.OK,
                            "grants=" + changed);
            return null;
        });
    }

    /** A grant for a host its provider does not serve is refused: the provider's secret goes only to that host. */
    private Grant parse(String spec, boolean allowExec) {
        if (spec == null || spec.isBlank()) {
            throw DomainException.invalid(
                    "invalid_grant_pattern", "a grant is empty", "for example: github=github.com/my-org/*");
        }
        int eq = spec.indexOf('=');
        String providerName = eq < 0 ? spec : spec.substring(0, eq);
        Provider provider = context.providers().get(providerName);
        Grant grant =
                Grant.parse(provider.name(), eq < 0 ? null : spec.substring(eq + 1), provider.hostName(), allowExec);
        if (!grant.host().sameServer(provider.hostName(), "https")) {
            throw DomainException.invalid(
                    "grant_host_mismatch",
                    "provider " + provider.name() + " serves " + provider.host() + ", not " + grant.host(),
                    "grant a path on " + provider.host() + ", e.g. " + provider.name() + "=" + provider.host()
                            + "/my-org/*");
        }
        return grant;
    }

    private String connectionWarning(String provider) {
        var credential = credentials.find(provider);
        if (credential.isEmpty()) {
            return "provider " + provider + " is not connected yet: the workspace gets nothing from it until an admin"
                    + " connects it (authrelay login " + provider + ", or credential set for a static provider)";
        }
        if (credential.get().state() == CredentialState.NEEDS_REAUTH) {
            return "provider " + provider + " needs a new login: authrelay login " + provider;
        }
        return null;
    }

    private static boolean sameTarget(Grant a, Grant b) {
        return a.provider().equals(b.provider())
                && a.host().equals(b.host())
                && java.util.Objects.equals(a.pathPattern(), b.pathPattern());
    }
}
