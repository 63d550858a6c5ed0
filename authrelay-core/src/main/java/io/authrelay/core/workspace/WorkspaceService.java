package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import io.authrelay.core.Ids;
import io.authrelay.core.Names;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.token.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Creating, listing, rotating and revoking workspaces. A token is shown once, at creation or rotation. */
public final class WorkspaceService {
    public static final String TOKEN_PREFIX = "arw_";
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** @param warnings what the admin should know about the grants (see {@link WorkspaceGrants}) */
    public record Issued(Workspace workspace, String token, List<String> warnings) {
        @Override
        public String toString() {
            return "Issued[" + workspace.name() + ", token=redacted]";
        }
    }

    public sealed interface Authentication {
        record Valid(Workspace workspace) implements Authentication {}

        record Revoked(Workspace workspace) implements Authentication {}

        record Expired(Workspace workspace) implements Authentication {}

        record Unknown() implements Authentication {}
    }

    private final ServiceContext context;
    private final WorkspaceRepository workspaces;
    private final WorkspaceGrants grants;

    public WorkspaceService(ServiceContext context, WorkspaceRepository workspaces, WorkspaceGrants grants) {
        this.context = context;
        this.workspaces = workspaces;
        this.grants = grants;
    }

    /**
     * @param grants    each {@code PROVIDER[=HOST[/PATHGLOB]]}
     * @param allowExec whether these grants also serve requests that name only the provider (see {@link Grant})
     * @param ttl       null for the default, zero for no expiry
     */
    public Issued create(String name, List<String> grantSpecs, boolean allowExec, Duration ttl, Actor actor) {
        Names.require("workspace", name);
        WorkspaceGrants.Checked checked = grants.check(grantSpecs, allowExec);
        List<Grant> parsed = checked.grants();
        Instant now = context.clock().instant();
        String token = Tokens.generate(TOKEN_PREFIX);
        SecretRedactor.register(token);
        Workspace workspace = new Workspace(
                Ids.random("ws_"), name, Tokens.hash(token), List.copyOf(parsed), expiry(now, ttl), null, now, now);
        context.tx().inTransaction(() -> {
            if (!workspaces.insert(workspace)) {
                throw DomainException.conflict(
                        "workspace_exists",
                        "workspace '" + name + "' already exists",
                        "rotate its token with: authrelay workspace rotate " + name);
            }
            context.audit().append(now, actor, "workspace.create", name, AuditLog.OK, "grants=" + parsed);
            return null;
        });
        return new Issued(workspace, token, checked.warnings());
    }

    public Authentication authenticate(String token) {
        Optional<Workspace> found = workspaces.findByTokenHash(Tokens.hash(token));
        // The lookup is by hash; the constant-time comparison guards against a store that matched loosely.
        if (found.isEmpty() || !Tokens.matches(token, found.get().tokenHash())) return new Authentication.Unknown();
        Workspace workspace = found.get();
        if (workspace.isRevoked()) return new Authentication.Revoked(workspace);
        if (workspace.isExpired(context.clock().instant())) return new Authentication.Expired(workspace);
        return new Authentication.Valid(workspace);
    }

    public List<Workspace> list() {
        return workspaces.list();
    }

    public Optional<Workspace> find(String name) {
        return workspaces.findByName(name);
    }

    public Workspace get(String name) {
        return workspaces.getByName(name);
    }

    public void revoke(String name, Actor actor) {
        get(name);
        workspaces.revoke(name, context.clock().instant());
        context.audit().append(context.clock().instant(), actor, "workspace.revoke", name, AuditLog.OK, null);
    }

    /** Issues a new token (the old one stops working at once) and un-revokes; {@code ttl} null keeps the current expiry rule. */
    public Issued rotate(String name, Duration ttl, Actor actor) {
        Workspace current = get(name);
        Instant now = context.clock().instant();
        String token = Tokens.generate(TOKEN_PREFIX);
        SecretRedactor.register(token);
        Instant expiresAt = ttl != null
                ? expiry(now, ttl)
                : current.expiresAt() == null
                        ? null
                        : now.plus(Duration.between(current.createdAt(), current.expiresAt()));
        workspaces.replaceToken(name, Tokens.hash(token), expiresAt, now);
        context.audit().append(now, actor, "workspace.rotate", name, AuditLog.OK, null);
        return new Issued(get(name), token, List.of());
    }

    /** Deletes a workspace that no longer works (revoked or expired), so its name can be used again. */
    public void delete(String name, Actor actor) {
        Workspace workspace = get(name);
        if (!workspace.isRevoked() && !workspace.isExpired(context.clock().instant())) {
            throw DomainException.conflict(
                    "workspace_active",
                    "workspace '" + name + "' is still active",
                    "revoke it first: authrelay workspace revoke " + name);
        }
        context.tx().inTransaction(() -> {
            workspaces.delete(workspace.id());
            context.audit().append(context.clock().instant(), actor, "workspace.delete", name, AuditLog.OK, null);
            return null;
        });
    }

    private static Instant expiry(Instant now, Duration ttl) {
        Duration effective = ttl == null ? DEFAULT_TTL : ttl;
        return effective.isZero() ? null : now.plus(effective);
    }
}
