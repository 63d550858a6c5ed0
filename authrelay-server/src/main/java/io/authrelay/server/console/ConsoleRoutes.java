package io.authrelay.server.console;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.server.http.Access;
import io.authrelay.server.http.ApiException;
import io.authrelay.server.http.Authenticator;
import io.authrelay.server.http.RequestBodies;
import io.authrelay.server.http.Required;
import io.authrelay.server.metrics.ActivityHistory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The web console: its page and assets, sign-in (admin token or one-time link), sign-out, and the link the CLI asks for.
 * Everything else the page does goes through the /v1 API, authenticated by the session ({@link ConsoleGate}).
 */
public final class ConsoleRoutes {
    static final String ASSETS = "/console/assets/";
    static final String LINK = "/console/link";
    static final String SESSION = "/console/session";
    static final String SIGN_OUT = "/console/signout";
    public static final String LINKS_API = "/v1/console/links";
    private static final Pattern ASSET_NAME = Pattern.compile("[a-z][a-z-]*\\.(js|css|svg)");
    private static final Map<String, String> TYPES =
            Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    /** The one-time link's secret, in a body, never in a URL the server sees (public: RequestBodies reads it). */
    public record LinkExchange(@Required String link) {}

    private final ConsoleSessions sessions;
    private final ConsoleGate gate;
    private final Supplier<String> origin;
    private final AuditLog audit;
    private final ActivityHistory activity;
    private final Clock clock;

    /** @param origin this daemon's own address ({@code scheme://host:port}), for the links it prints */
    public ConsoleRoutes(
            ConsoleSessions sessions,
            ConsoleGate gate,
            Supplier<String> origin,
            AuditLog audit,
            ActivityHistory activity,
            Clock clock) {
        this.sessions = sessions;
        this.gate = gate;
        this.origin = origin;
        this.audit = audit;
        this.activity = activity;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, "index.html", "text/html; charset=utf-8"));
        routes.get(ASSETS + "{name}", ctx -> {
            String name = ctx.pathParam("name");
            if (!ASSET_NAME.matcher(name).matches()) throw notFound(name);
            serve(ctx, name, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        });
        // The admin token arrives as a bearer token: the Authenticator checks it, rate-limits and audits failures.
        routes.post(
                SESSION,
                ctx -> {
                    gate.requireOwnOrigin(ctx);
                    signIn(ctx, "admin token");
                },
                Access.ADMIN_TOKEN);
        routes.post(LINK, ctx -> {
            gate.requireOwnOrigin(ctx);
            LinkExchange body = RequestBodies.read(ctx, LinkExchange.class);
            if (!sessions.redeemLink(body.link())) {
                audit.append(
                        clock.instant(),
                        new Actor("anonymous", Authenticator.address(ctx)),
                        "console.signin",
                        "one-time link",
                        AuditLog.DENIED,
                        "link used, expired or not issued here");
                throw new ApiException(
                        401,
                        "console_link_invalid",
                        "this sign-in link was already used, has expired, or was not printed by this daemon",
                        "print a new one with: authrelay console-link");
            }
            signIn(ctx, "one-time link");
        });
        routes.post(
                SIGN_OUT,
                ctx -> {
                    sessions.close(ctx.cookie(gate.cookieName()));
                    ctx.header("Set-Cookie", cookie("", "; Max-Age=0"));
                    audit(ctx, "console.signout", "session");
                    ctx.json(Map.of("signed_out", true));
                },
                Access.READ);
        routes.get("/v1/activity", ctx -> ctx.json(Map.of("minutes", activity.lastHour())), Access.READ);
        routes.post(
                LINKS_API,
                ctx -> {
                    String secret = sessions.issueLink();
                    audit(ctx, "console.link", "one-time link");
                    ctx.status(201)
                            .json(Map.of(
                                    "url",
                                    origin.get() + "/#link=" + secret,
                                    "expires_at",
                                    clock.instant().plus(ConsoleSessions.LINK_LIFETIME)));
                },
                Access.ADMIN_TOKEN);
    }

    private void signIn(Context ctx, String how) {
        ConsoleSessions.Opened opened = sessions.open();
        ctx.header("Set-Cookie", cookie(opened.cookie(), ""));
        ctx.attribute(Authenticator.PRINCIPAL, ConsoleGate.PRINCIPAL);
        audit(ctx, "console.signin", how);
        ctx.status(201).json(Map.of("tab_secret", opened.tabSecret()));
    }

    /** No Max-Age: the cookie goes with the browser session; the server ends it earlier when idle. */
    private String cookie(String value, String extra) {
        String secure = gate.cookieName().startsWith("__Host-") ? "; Secure" : "";
        return gate.cookieName() + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + secure + extra;
    }

    private void audit(Context ctx, String action, String target) {
        audit.append(clock.instant(), Authenticator.actor(ctx), action, target, AuditLog.OK, "");
    }

    private static void serve(Context ctx, String name, String type) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) throw notFound(name);
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType(type).result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException notFound(String name) {
        return new ApiException(404, "not_found", "no console file " + name, null);
    }
}
