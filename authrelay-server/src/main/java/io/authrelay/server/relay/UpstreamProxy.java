package io.authrelay.server.relay;

import io.authrelay.server.outbound.ProxyEnvironment;
import java.net.InetSocketAddress;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;

/**
 * The relay's upstream connections through the daemon's forward proxy: the same variables and the same NO_PROXY rule
 * as the calls to providers ({@link ProxyEnvironment#proxyFor}), instead of Jetty's own include/exclude patterns.
 *
 * <p>Only https upstreams are proxied, always as a CONNECT tunnel: the proxy sees {@code CONNECT host:port}, TLS runs
 * end to end inside it, and the relay checks the upstream's certificate itself. A plain http upstream (allowed only on
 * loopback) goes direct even when {@code http_proxy} is set: through a proxy the broker's credential would cross it in
 * clear, and the proxy's loopback is not the daemon's. No Proxy-Authorization is ever sent: the environment refuses
 * proxy credentials at start.
 */
final class UpstreamProxy extends HttpProxy {
    private static final String SCHEME = "https";

    private final ProxyEnvironment proxies;

    private UpstreamProxy(ProxyEnvironment proxies, InetSocketAddress proxy) {
        super(new Origin.Address(proxy.getHostString(), proxy.getPort()), false);
        this.proxies = proxies;
    }

    /** Adds the https proxy to the client, when one is set. */
    static void configure(HttpClient client, ProxyEnvironment proxies) {
        InetSocketAddress proxy = proxies.proxyOf(SCHEME);
        if (proxy != null) client.getProxyConfiguration().addProxy(new UpstreamProxy(proxies, proxy));
    }

    @Override
    public boolean matches(Origin origin) {
        Origin.Address address = origin.getAddress();
        return SCHEME.equalsIgnoreCase(origin.getScheme())
                && proxies.proxyFor(SCHEME, address.getHost(), address.getPort()) != null;
    }
}
