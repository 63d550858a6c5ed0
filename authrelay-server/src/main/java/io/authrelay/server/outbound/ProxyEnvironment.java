package io.authrelay.server.outbound;

import io.authrelay.server.StartupRefusal;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The forward proxy for calls to providers (OAuth, refreshes, and the credential relay's upstreams), read once from
 * the daemon's environment at start, as curl reads it: {@code https_proxy}/{@code HTTPS_PROXY} for https URLs (the
 * lower-case name wins), and {@code no_proxy}/{@code NO_PROXY} ({@link NoProxy}) for hosts that go direct. A proxy is
 * an {@code http://HOST[:PORT]} URL (curl's default port 1080); https is tunnelled through it with CONNECT, so the
 * proxy sees a host and a port, never a request. {@code http_proxy} is not used: plain http is allowed to loopback
 * only, which needs no proxy, and through one every token, code and secret of the call would cross it in clear.
 *
 * <p>Credentials in the proxy URL are refused: the JDK sends Basic proxy credentials for a CONNECT only when a
 * JVM-wide switch ({@code jdk.http.auth.tunneling.disabledSchemes}) is cleared before its first connection, for every
 * caller in the process; and a password in an environment variable is readable by anything that can read the
 * daemon's environment. Run an authenticating proxy on the daemon's side (or allow its address) instead.
 */
public final class ProxyEnvironment {
    private final URI https;
    private final NoProxy noProxy;

    ProxyEnvironment(URI https, NoProxy noProxy) {
        this.https = https;
        this.noProxy = noProxy;
    }

    /** @throws StartupRefusal with the variable and what is wrong with it */
    public static ProxyEnvironment from(Map<String, String> env) {
        URI https = proxy(env, "https_proxy", "HTTPS_PROXY");
        String noProxyName = env.get("no_proxy") != null ? "no_proxy" : "NO_PROXY";
        try {
            return new ProxyEnvironment(https, NoProxy.parse(env.get(noProxyName)));
        } catch (IllegalArgumentException e) {
            throw new StartupRefusal(noProxyName + ": " + e.getMessage());
        }
    }

    /** The proxy a request to {@code url} goes through, or {@link Proxy#NO_PROXY}. */
    public Proxy select(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        InetSocketAddress proxy = proxyFor(scheme, url.getHost(), url.getPort());
        return proxy == null ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, proxy);
    }

    /**
     * The one rule for every outbound client: the proxy (unresolved) a request to {@code scheme://host:port} goes
     * through, or null when it goes direct (not https, no https proxy, or NO_PROXY names the host).
     *
     * @param port the URL's port, or -1 for the scheme's default
     */
    public InetSocketAddress proxyFor(String scheme, String host, int port) {
        InetSocketAddress proxy = proxyOf(scheme);
        if (proxy == null) return null;
        int effective = port > 0 ? port : scheme.equals("https") ? 443 : 80;
        return noProxy.bypasses(host, effective) ? null : proxy;
    }

    /**
     * The proxy set for {@code scheme} (unresolved), whatever NO_PROXY says, or null when there is none: for https
     * only, never for plain http (see the class comment).
     */
    public InetSocketAddress proxyOf(String scheme) {
        URI proxy = "https".equals(scheme) ? https : null;
        return proxy == null ? null : InetSocketAddress.createUnresolved(proxy.getHost(), proxy.getPort());
    }

    /** What /v1/status shows: each proxy's URL (never credentials: none are accepted) or "direct", and no_proxy. */
    public Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("https", https == null ? "direct" : https.toString());
        facts.put("http", "direct"); // always: see the class comment
        facts.put("no_proxy", noProxy.toString());
        return facts;
    }

    private static URI proxy(Map<String, String> env, String lower, String upper) {
        String name = env.get(lower) != null ? lower : upper;
        String value = env.get(name);
        if (value == null || value.isBlank()) return null;
        String text = value.strip();
        URI uri;
        try {
            uri = new URI(text.contains("://") ? text : "http://" + text);
        } catch (URISyntaxException e) {
            throw new StartupRefusal(name + " is not a URL: write it as http://HOST:PORT");
        }
        if (uri.getRawUserInfo() != null) {
            // Said without the value: it holds a password.
            throw new StartupRefusal(name + " carries credentials (user:password@), which authrelay does not send to a"
                    + " proxy: allow the daemon's address at the proxy, or run an authenticating proxy beside it");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new StartupRefusal(
                    name + " must be an http:// proxy (https is tunnelled through it with CONNECT), not "
                            + uri.getScheme() + "://");
        }
        if (uri.getHost() == null
                || (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new StartupRefusal(name + " must look like http://HOST:PORT, not " + text);
        }
        return URI.create(
                "http://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() > 0 ? uri.getPort() : 1080));
    }
}
