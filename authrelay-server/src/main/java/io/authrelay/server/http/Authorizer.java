package io.authrelay.server.http;

import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.auth.Principal;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * Runs once a route is matched, after {@link Authenticator} has said who is calling: refuses a caller the route's
 * {@link Access} does not admit. Every refusal is audited; none counts toward the failure limiter, since the token was
 * valid.
 */
public final class Authorizer {
    private final AuditLog audit;
    private final Clock clock;

    public Authorizer(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    public void authorize(Context ctx) {
        Principal principal = Authenticator.principal(ctx);
        if (principal == null) return; // a public path: the authenticator let it through without a token
        Access needed = Access.of(ctx.routeRoles());
        if (principal.kind() == Principal.Kind.WORKSPACE) {
            if (needed != Access.WORKSPACE)
                throw refused(ctx, "forbidden", "a workspace token can only fetch its own credentials", null);
            return;
        }
        if (needed == Access.WORKSPACE) {
            throw refused(
                    ctx,
                    "forbidden",
                    "credentials are vended to workspace tokens, not to the admin token or API tokens",
                    "create one with: authrelay workspace create NAME --grant PROVIDER");
        }
        if (needed == Access.ADMIN_TOKEN && principal.kind() != Principal.Kind.ADMIN) {
            // Its answer is the new admin token: an API token (or a console session) that could call this would turn
            // itself into the admin token, which no revocation of the API token (or sign-out) takes back.
            throw refused(
                    ctx,
                    "insufficient_scope",
                    "this needs the admin token itself; no API token or console session may call it",
                    "run it as the daemon's user: authrelay admin-token rotate");
        }
        if (!principal.has(needed.scope())) {
            throw refused(
                    ctx,
                    "insufficient_scope",
                    "this needs an API token of scope '" + needed.scope().wireName() + "'; this one has scope '"
                            + principal.scope().wireName() + "'",
                    "create one with: authrelay api-token create NAME --scope "
                            + needed.scope().wireName());
        }
    }

    private ApiException refused(Context ctx, String code, String message, String hint) {
        audit.append(
                clock.instant(),
                Authenticator.actor(ctx),
                "auth.forbidden",
                ctx.method() + " " + ctx.path(),
                AuditLog.DENIED,
                code);
        return new ApiException(403, code, message, hint);
    }
}
