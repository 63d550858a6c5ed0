package io.authrelay.server.http;

import io.authrelay.core.apitoken.ApiToken;
import io.authrelay.core.apitoken.ApiTokenService;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.auth.Principal;
import io.authrelay.core.token.Tokens;
import io.authrelay.core.workspace.WorkspaceService;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;

/**
 * Runs before every route and says who is calling. Requests over TCP first pass the {@link BrowserGuard}; then public
 * probes pass, and everything else needs a valid bearer token: the admin token, an API token ({@code art_}) or a
 * workspace token ({@code arw_}). What each may call is the {@link Authorizer}'s to decide, once the route is matched.
 * A valid token is never slowed or refused by the failure limiter, and a request without a token does not count toward
 * anyone's lockout (a web page could send those by the thousand): only wrong tokens (unknown, or revoked API tokens)
 * are counted, audited and rate-limited per address.
 */
public final class Authenticator {
    public static final String PRINCIPAL = "authrelay.principal";
    private static final String RECHECK = "authrelay.principal.recheck";
    /** Probes, the version handshake and the sh helper reveal nothing and must work before a client has a token. */
    private static final Set<String> PUBLIC_PATHS =
            Set.of("/healthz", "/readyz", "/v1/version", "/v1/helper.sh", DeliverRoutes.TOKEN_PATH);

    /** Requests through the home's socket have no network address; they share one limiter entry. */
    private static final String SOCKET_ADDRESS = "home-socket";

    private final Supplier<String> adminTokenHash;
    private final WorkspaceService workspaces;
    private final ApiTokenService apiTokens;
    private final WrongTokens wrongTokens;
    private final BrowserGuard browsers;
    private final BrowserSessions browserSessions;
    private final AuditLog audit;
    private final Clock clock;
    private final Counter failures;

    public Authenticator(
            Supplier<String> adminTokenHash,
            WorkspaceService workspaces,
            ApiTokenService apiTokens,
            WrongTokens wrongTokens,
            BrowserGuard browsers,
            BrowserSessions browserSessions,
            AuditLog audit,
            Clock clock,
            MeterRegistry metrics) {
        this.adminTokenHash = adminTokenHash;
        this.workspaces = workspaces;
        this.apiTokens = apiTokens;
        this.wrongTokens = wrongTokens;
        this.browsers = browsers;
        this.browserSessions = browserSessions;
        this.audit = audit;
        this.clock = clock;
        this.failures = WrongTokens.failures(metrics);
    }

    public void authenticate(Context ctx) throws InterruptedException {
        boolean viaSocket = HomeSocketListener.carried(ctx);
        if (!viaSocket) browsers.check(ctx);
        if (PUBLIC_PATHS.contains(ctx.path()) || browserSessions.isPublic(ctx.path())) return;
        String token = bearerToken(ctx.header("Authorization"));
        if (token == null) {
            Optional<Principal> console = browserSessions.authenticate(ctx);
            if (console.isPresent()) {
                accept(ctx, console.get(), () -> consoleSessionLives(ctx));
                return;
            }
            failures.increment();
            throw new ApiException(
                    401,
                    "missing_token",
                    "this endpoint needs a bearer token",
                    "set AUTHRELAY_TOKEN, or run as the daemon's user so the CLI can read admin.token from the home");
        }
        if (token.startsWith(WorkspaceService.TOKEN_PREFIX)) {
            switch (workspaces.authenticate(token)) {
                case WorkspaceService.Authentication.Valid valid -> {
                    accept(
                            ctx,
                            Principal.of(valid.workspace()),
                            () -> workspaces.authenticate(token) instanceof WorkspaceService.Authentication.Valid);
                    return;
                }
                case WorkspaceService.Authentication.Revoked revoked ->
                    throw refused(
                            ctx,
                            "workspace_revoked",
                            "workspace token revoked",
                            "ask an admin for a new one",
                            revoked.workspace().name());
                case WorkspaceService.Authentication.Expired expired ->
                    throw refused(
                            ctx,
                            "workspace_expired",
                            "workspace token expired",
                            "ask an admin for a new one",
                            expired.workspace().name());
                case WorkspaceService.Authentication.Unknown unknown -> {
                    /* a wrong token, handled below */
                }
            }
        } else if (token.startsWith(ApiTokenService.TOKEN_PREFIX)) {
            Optional<ApiToken> apiToken = apiTokens.authenticate(token);
            if (apiToken.isPresent()) {
                accept(
                        ctx,
                        Principal.apiToken(apiToken.get().name(), apiToken.get().scope()),
                        () -> apiTokens.authenticate(token).isPresent());
                return;
            }
        } else if (Tokens.matches(token, adminTokenHash.get())) {
            accept(ctx, Principal.admin(), () -> Tokens.matches(token, adminTokenHash.get()));
            return;
        }
        throw wrongToken(ctx, address(ctx));
    }

    private static void accept(Context ctx, Principal principal, BooleanSupplier stillAccepted) {
        ctx.attribute(PRINCIPAL, principal);
        ctx.attribute(RECHECK, stillAccepted);
    }

    private boolean consoleSessionLives(Context ctx) {
        try {
            return browserSessions.authenticate(ctx).isPresent();
        } catch (ApiException signedOut) {
            return false;
        }
    }

    /**
     * Whether what authenticated this request would still be accepted now. A long-lived response (an event stream) asks
     * on every tick, so a console sign-out, a revoked token or a rotated admin token ends it as it would a new request.
     */
    public static boolean stillAuthenticated(Context ctx) {
        BooleanSupplier recheck = ctx.attribute(RECHECK);
        return recheck != null && recheck.getAsBoolean();
    }

    /**
     * A token that matches nothing: counted against its address (with the relay's, {@link WrongTokens}), slowed, then
     * refused while the address keeps failing.
     */
    private ApiException wrongToken(Context ctx, String address) throws InterruptedException {
        RepeatLimiter.Verdict verdict = wrongTokens.count(address, ctx.method() + " " + ctx.path());
        if (verdict.refused()) {
            ctx.header(
                    "Retry-After",
                    Long.toString(Math.max(1, verdict.retryAfter().toSeconds())));
            return new ApiException(
                    429,
                    "too_many_auth_failures",
                    "too many failed authentication attempts from this address",
                    "wait and retry with a valid token");
        }
        if (!verdict.delay().isZero()) Thread.sleep(verdict.delay());
        return new ApiException(
                401,
                "invalid_token",
                "the token is not valid",
                "set AUTHRELAY_TOKEN, or run as the daemon's user so the CLI can read admin.token from the home");
    }

    /** A real but revoked or expired workspace token: audited, not counted as guessing. */
    private ApiException refused(Context ctx, String code, String message, String hint, String workspace) {
        audit.append(
                clock.instant(),
                new Actor("workspace:" + workspace, address(ctx)),
                "auth.failure",
                ctx.method() + " " + ctx.path(),
                AuditLog.DENIED,
                code);
        return new ApiException(401, code, message, hint);
    }

    public static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    public static Actor actor(Context ctx) {
        return principal(ctx).actorFrom(address(ctx));
    }

    /** Where a request came from, for audit and rate limits: its network address, or the home's socket. */
    public static String address(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request == null ? ctx.ip() : address(request);
    }

    /**
     * The same for a request the relay handles outside Javalin: one function, so that an address is one key for the
     * wrong-token limiter whichever front it reaches. Never a forwarding header: the sender writes those.
     */
    public static String address(Request request) {
        return HomeSocketListener.carried(request) ? SOCKET_ADDRESS : Request.getRemoteAddr(request);
    }

    /** The token of an {@code Authorization: Bearer} header; null when there is none, or none of a sane length. */
    static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = header.substring(7).trim();
        return token.isEmpty() || token.length() > 512 ? null : token;
    }
}
