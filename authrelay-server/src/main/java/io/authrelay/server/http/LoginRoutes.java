package io.authrelay.server.http;

import io.authrelay.core.auth.Scope;
import io.authrelay.core.clilogin.CliLoginService;
import io.authrelay.core.credential.CredentialService;
import io.authrelay.core.login.Diagnoser;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.login.LoginSession;
import io.authrelay.core.vault.Secret;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starting, following and cancelling logins; logging out; diagnosing. */
final class LoginRoutes {
    static final String HIDDEN_CODE = "(hidden: admin only)";

    /** {@code mode} and {@code api_key} are for AI-CLI providers; the key travels in the body, never in a URL. */
    record StartLogin(@Required String provider, String scopes, Boolean force, String mode, String apiKey) {}

    /** What the user answered a CLI login: a pasted code or the browser's final URL. */
    record LoginInput(@Required String input, Boolean fromAgent) {}

    private final LoginService logins;
    private final CliLoginService cliLogins;
    private final CredentialService credentials;
    private final Diagnoser diagnoser;
    private final LoginScheduler scheduler;
    private final Clock clock;
    private final ChangeStream changes = new ChangeStream();

    LoginRoutes(
            LoginService logins,
            CliLoginService cliLogins,
            CredentialService credentials,
            Diagnoser diagnoser,
            LoginScheduler scheduler,
            Clock clock) {
        this.logins = logins;
        this.cliLogins = cliLogins;
        this.credentials = credentials;
        this.diagnoser = diagnoser;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/logins", ctx -> {
            StartLogin body = RequestBodies.read(ctx, StartLogin.class);
            boolean force = Boolean.TRUE.equals(body.force());
            LoginService.Started started = cliLogins.handles(body.provider())
                    ? cliLogins.start(
                            body.provider(),
                            body.mode(),
                            force,
                            body.apiKey() == null ? null : new Secret(body.apiKey()),
                            Authenticator.actor(ctx))
                    : logins.start(body.provider(), body.scopes(), force, Authenticator.actor(ctx));
            ctx.status(started.alreadyPending() ? 200 : 201)
                    .json(view(started.session(), started.alreadyPending(), seesCodes(ctx)));
        });
        routes.get(
                "/v1/logins",
                ctx -> ctx.json(Map.of(
                        "logins",
                        logins.recent(ctx.queryParam("provider"), 50).stream()
                                .map(s -> view(s, false, seesCodes(ctx)))
                                .toList())),
                Access.READ);
        routes.get(
                "/v1/logins/{id}",
                ctx -> ctx.json(view(logins.get(ctx.pathParam("id")), false, seesCodes(ctx))),
                Access.READ);
        // The login view again on every change, until it ends: the console's live login view.
        routes.sse(
                "/v1/logins/{id}/events",
                client -> {
                    String id = client.ctx().pathParam("id");
                    boolean codes = seesCodes(client.ctx());
                    changes.follow(
                            client, () -> view(logins.get(id), false, codes), view -> view.get("ended_at") != null);
                },
                Access.READ);
        routes.post("/v1/logins/{id}/input", ctx -> {
            LoginInput body = RequestBodies.read(ctx, LoginInput.class);
            String id = ctx.pathParam("id");
            cliLogins.input(
                    id, new Secret(body.input()), Boolean.TRUE.equals(body.fromAgent()), Authenticator.actor(ctx));
            ctx.json(view(logins.get(id), false, true));
        });
        routes.post(
                "/v1/credentials/{provider}/confirm-account",
                ctx -> ctx.json(Map.of(
                        "provider",
                        ctx.pathParam("provider"),
                        "account",
                        cliLogins
                                .confirmAccount(ctx.pathParam("provider"), Authenticator.actor(ctx))
                                .account())));
        routes.post("/v1/logins/{id}/cancel", ctx -> {
            LoginSession cancelled = logins.cancel(ctx.pathParam("id"), Authenticator.actor(ctx));
            cliLogins.cancel(cancelled.id()); // a CLI login's process goes with its session
            ctx.json(view(cancelled, false, true));
        });
        routes.post(
                "/v1/credentials/{provider}/logout",
                ctx -> ctx.json(
                        Map.of("revoked", credentials.logout(ctx.pathParam("provider"), Authenticator.actor(ctx)))));
        routes.get("/v1/diagnose/{target}", this::diagnose, Access.READ);
    }

    /**
     * Whether the caller may see a pending login's code. Whoever enters the code first decides which account the
     * provider is connected to, and workspaces then receive that account's token: a read-only token must not be
     * able to make that choice.
     */
    static boolean seesCodes(Context ctx) {
        return Authenticator.principal(ctx).has(Scope.ADMIN);
    }

    private void diagnose(Context ctx) {
        Object report = diagnoser.diagnose(ctx.pathParam("target"));
        if (seesCodes(ctx)) {
            ctx.json(report);
            return;
        }
        String json = Json.MAPPER.writeValueAsString(report); // summary, advice and timeline quote the code
        for (LoginSession pending : logins.recent(null, 50)) {
            if (pending.status().isTerminal()) continue;
            // a CLI login may have no code (yet), only an authorize URL whose state ties a pasted answer to it
            if (pending.userCode() != null) json = json.replace(pending.userCode(), HIDDEN_CODE);
            if (isCliPrompt(pending)) json = json.replace(pending.verificationUri(), HIDDEN_CODE);
        }
        ctx.contentType("application/json").result(json);
    }

    /**
     * A running AI-CLI login's URL is its login: whoever signs in there chooses the account (some CLIs print a short
     * link that carries no visible state), so like a device code it is for admins while the login runs.
     */
    private boolean isCliPrompt(LoginSession s) {
        return s.verificationUri() != null && cliLogins.handles(s.provider());
    }

    Map<String, Object> view(LoginSession s, boolean alreadyPending, boolean showCode) {
        boolean hideCode = !showCode && !s.status().isTerminal();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("session", s.id());
        view.put("provider", s.provider());
        view.put("status", s.status().wireName());
        view.put("user_code", hideCode ? HIDDEN_CODE : s.userCode());
        boolean hideUri = hideCode && isCliPrompt(s);
        view.put("verification_uri", hideUri ? HIDDEN_CODE : s.verificationUri());
        view.put("verification_uri_complete", hideCode ? null : s.verificationUriComplete());
        view.put("expires_at", s.expiresAt());
        // A countdown only while the code can still be entered; an ended login says when it ended.
        view.put(
                "seconds_left",
                s.status().isTerminal()
                        ? null
                        : Math.max(
                                0,
                                Duration.between(clock.instant(), s.expiresAt()).toSeconds()));
        view.put("ended_at", s.status().isTerminal() ? s.updatedAt() : null);
        view.put("interval_seconds", s.interval().toSeconds());
        view.put("polls", s.polls());
        view.put("last_result", s.lastResult());
        view.put("reason", s.reason());
        view.put("account", s.account());
        view.put("created_at", s.createdAt());
        view.put("updated_at", s.updatedAt());
        view.put("already_pending", alreadyPending);
        cliLogins.inputOf(s.id()).ifPresent(input -> view.put("input", input));
        cliLogins.queuePosition(s.id()).ifPresent(ahead -> view.put("queued_behind", ahead));
        Duration heartbeat = s.status().isTerminal() ? null : scheduler.heartbeatAge();
        if (!s.status().isTerminal())
            view.put("poller_alive", heartbeat != null && heartbeat.compareTo(Diagnoser.STALE_HEARTBEAT) <= 0);
        return view;
    }
}
