package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.outbound.ProxyEnvironment;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Origin;
import org.junit.jupiter.api.Test;

/** Which upstreams the relay's Jetty client sends through the proxy: the environment's rule, https only. */
class UpstreamProxyTest {
    private static ProxyConfigurationView client(Map<String, String> env) {
        HttpClient client = new HttpClient();
        UpstreamProxy.configure(client, ProxyEnvironment.from(env));
        return origin -> client.getProxyConfiguration().match(origin) != null;
    }

    private interface ProxyConfigurationView {
        boolean proxied(Origin origin);
    }

    @Test
    void httpsUpstreamsGoThroughTheProxyUnlessNoProxyNamesThemAsEveryHostIsNamed() {
        var relay = client(Map.of(
                "HTTPS_PROXY", "http://proxy.corp.test:3128",
                "HTTP_PROXY", "http://proxy.corp.test:3128",
                "NO_PROXY", "GHE.Corp.Test.,10.0.0.0/8,[::1]:8443"));
        assertThat(relay.proxied(new Origin("https", "github.com", 443))).isTrue();
        assertThat(relay.proxied(new Origin("https", "api.anthropic.com", 443))).isTrue();
        assertThat(relay.proxied(new Origin("https", "ghe.corp.test", 443))).isFalse();
        assertThat(relay.proxied(new Origin("https", "git.ghe.corp.test", 8443)))
                .isFalse();
        assertThat(relay.proxied(new Origin("https", "ghe.corp.test.evil.test", 443)))
                .isTrue();
        assertThat(relay.proxied(new Origin("https", "10.1.2.3", 443))).isFalse();
        assertThat(relay.proxied(new Origin("https", "[::1]", 8443))).isFalse();
        assertThat(relay.proxied(new Origin("https", "::1", 8443))).isFalse();
        assertThat(relay.proxied(new Origin("https", "[::1]", 443))).isTrue();
        // a plain http upstream would carry the broker's credential through the proxy in clear: always direct
        assertThat(relay.proxied(new Origin("http", "127.0.0.1", 8080))).isFalse();
        assertThat(relay.proxied(new Origin("http", "github.com", 80))).isFalse();
    }

    @Test
    void withoutAnHttpsProxyEverythingGoesDirect() {
        var relay = client(Map.of("HTTP_PROXY", "http://proxy.corp.test:3128"));
        assertThat(relay.proxied(new Origin("https", "github.com", 443))).isFalse();
        assertThat(client(Map.of()).proxied(new Origin("https", "github.com", 443)))
                .isFalse();
    }

    @Test
    void theProxyIsTheEnvironmentsAndNeverCarriesCredentials() {
        HttpClient client = new HttpClient();
        UpstreamProxy.configure(client, ProxyEnvironment.from(Map.of("https_proxy", "proxy.corp.test")));
        var proxy = client.getProxyConfiguration().match(new Origin("https", "github.com", 443));
        assertThat(proxy.getAddress().getHost()).isEqualTo("proxy.corp.test");
        assertThat(proxy.getAddress().getPort()).isEqualTo(1080);
        assertThat(proxy.isSecure()).isFalse();
        assertThat(((UpstreamProxy) proxy).requiresTunnel(new Origin("https", "github.com", 443)))
                .isTrue();
    }
}
