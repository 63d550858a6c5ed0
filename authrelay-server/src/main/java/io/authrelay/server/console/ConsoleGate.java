package io.authrelay.server.console;

import io.authrelay.core.auth.Principal;
import io.authrelay.server.http.ApiException;
import io.authrelay.server.http.BrowserSessions;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/**
 * Admits a web-console session, and nothing else from a browser. A request must carry the session cookie AND the tab
 * secret in {@link #TAB_HEADER}: browsers send localhost cookies to every port, so a page an agent serves on another
 * port would carry the cookie, but it cannot read this tab's sessionStorage. A custom header also means a cross-origin
 * page cannot send the request without a CORS preflight, which the daemon never grants; and the {@code Origin} must be
 * exactly the page's own ({@code scheme://Host}, the host already checked by the BrowserGuard). A state-changing
 * request must name its Origin: that is the CSRF check, on top of the header.
 */
public final class ConsoleGate implements BrowserSessions {
    public static final String TAB_HEADER = "X-Authrelay-Console";
    /** Acts as the admin, but is audited as the console. */
    static final Principal PRINCIPAL = Principal.console();

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final ConsoleSessions sessions;
    private final String scheme;

    public ConsoleGate(ConsoleSessions sessions, boolean tls) {
        this.sessions = sessions;
        this.scheme = tls ? "https" : "http";
    }

    String cookieName() {
        // __Host- makes the browser refuse the cookie unless it is Secure, for this host only, on path /.
        return scheme.equals("https") ? "__Host-authrelay_console" : "authrelay_console";
    }

    @Override
    public boolean isPublic(String path) {
        return path.equals("/") || path.startsWith(ConsoleRoutes.ASSETS) || path.equals(ConsoleRoutes.LINK);
    }

    @Override
    public Optional<Principal> authenticate(Context ctx) {
        String cookie = ctx.cookie(cookieName());
        String tabSecret = ctx.header(TAB_HEADER);
        if (cookie == null && tabSecret == null) return Optional.empty();
        requireOwnOrigin(ctx);
        if (!sessions.use(cookie, tabSecret)) {
            throw new ApiException(
                    401,
                    "console_session_invalid",
                    "no console session: signed out, idle for too long, opened in another tab, or the daemon restarted",
                    "sign in again");
        }
        return Optional.of(PRINCIPAL);
    }

    /**
     * The request comes from the console's own page: Origin exactly {@code scheme://Host} (required unless the method is
     * safe, where same-origin fetches omit it), and no browser mark of another site.
     */
    void requireOwnOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) throw foreign("a request from another site (" + site + ")");
        String origin = ctx.header("Origin");
        String own = scheme + "://" + ctx.header("Host");
        if (origin == null) {
            if (!SAFE_METHODS.contains(ctx.method().name()))
                throw foreign("a " + ctx.method() + " without an Origin header");
            return;
        }
        if (!origin.equals(own)) throw foreign("a request from the origin " + origin);
    }

    private static ApiException foreign(String what) {
        return new ApiException(
                403,
                "console_origin_refused",
                "refused " + what + ": the console answers only its own page",
                "open the console at the daemon's own address");
    }
}
