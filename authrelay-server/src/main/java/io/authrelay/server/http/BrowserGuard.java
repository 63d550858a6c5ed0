package io.authrelay.server.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Keeps web pages away from the daemon. A page can make a browser send requests to loopback (a {@code no-cors} fetch,
 * a form post, a DNS-rebound name), so on TCP every request a browser marks as coming from elsewhere is refused:
 * <ul>
 *   <li>{@code Sec-Fetch-Site} other than {@code none} (typed by the user) or {@code same-origin}; another localhost
 *       port is {@code same-site} to a browser, and refused too;
 *   <li>an {@code Origin} that is not one of the daemon's own;
 *   <li>on a loopback listener, a {@code Host} that is not one of the daemon's own loopback names with its port, which
 *       is what a DNS-rebinding page sends.
 * </ul>
 * Command-line clients send none of these headers but {@code Host}, which they take from the URL they were given. The
 * port compared is the one the request arrived on.
 */
public final class BrowserGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final Set<String> names;
    private final boolean loopbackListener;
    private final String scheme;

    /** @param listenHost the address the daemon listens on */
    public BrowserGuard(String listenHost, boolean loopbackListener, boolean tls) {
        String host = listenHost.contains(":") && !listenHost.startsWith("[") ? "[" + listenHost + "]" : listenHost;
        this.names = loopbackListener ? union(LOOPBACK_NAMES, host.toLowerCase(Locale.ROOT)) : Set.of(host);
        this.loopbackListener = loopbackListener;
        this.scheme = tls ? "https" : "http";
    }

    void check(Context ctx) {
        check(
                ctx.header("Sec-Fetch-Site"),
                ctx.header("Origin"),
                ctx.header("Host"),
                ctx.req().getLocalPort());
    }

    /** The same check for a request served outside Javalin's routes (the relay, {@link VendHandler}). */
    public void check(Request request) {
        HttpFields fields = request.getHeaders();
        check(
                fields.get("Sec-Fetch-Site"),
                fields.get(HttpHeader.ORIGIN),
                fields.get(HttpHeader.HOST),
                Request.getLocalPort(request));
    }

    /** {@code port}: where the request arrived. */
    public void check(String site, String origin, String host, int port) {
        if (site != null && !site.equals("none") && !site.equals("same-origin")) {
            throw refused("a request from a web page (" + site + ")");
        }
        if (origin != null && !isOwnOrigin(origin, port)) throw refused("a request from the web origin " + origin);
        if (loopbackListener && !isOwnHost(host, port)) {
            throw refused("a request for host " + host + ", which is not this daemon's name");
        }
    }

    private boolean isOwnOrigin(String origin, int port) {
        String prefix = scheme + "://";
        if (!origin.startsWith(prefix)) return false;
        return isOwnHost(origin.substring(prefix.length()), port);
    }

    /**
     * {@code name:port} exactly, printable ASCII only (so no Unicode case folding can turn a lookalike into our name),
     * the name lower-cased: browsers and HTTP clients both send the port here.
     */
    private boolean isOwnHost(String hostHeader, int port) {
        if (hostHeader == null || !hostHeader.chars().allMatch(c -> c > 0x20 && c < 0x7f)) return false;
        int colon = hostHeader.lastIndexOf(':');
        if (colon <= 0 || hostHeader.endsWith("]")) return false;
        String name = hostHeader.substring(0, colon).toLowerCase(Locale.ROOT);
        return names.contains(name) && hostHeader.substring(colon + 1).equals(Integer.toString(port));
    }

    private static ApiException refused(String what) {
        return new ApiException(
                403,
                "browser_request_refused",
                "refused " + what + ": the daemon's API is not for web pages",
                "use the authrelay CLI or a workspace helper");
    }

    private static Set<String> union(Set<String> names, String extra) {
        java.util.HashSet<String> all = new java.util.HashSet<>(names);
        all.add(extra);
        return Set.copyOf(all);
    }
}
