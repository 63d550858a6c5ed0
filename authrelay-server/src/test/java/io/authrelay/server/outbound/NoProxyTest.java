package io.authrelay.server.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.StartupRefusal;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** curl's NO_PROXY semantics, and the proxy variables as the daemon reads them at start. */
class NoProxyTest {
    @ParameterizedTest(name = "NO_PROXY={0}: {1}:{2} bypasses={3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "example.com | example.com | 443 | true",
                "example.com | api.example.com | 443 | true",
                "example.com | a.b.example.com | 443 | true",
                ".example.com | example.com | 443 | true",
                ".example.com | api.example.com | 443 | true",
                "example.com | badexample.com | 443 | false",
                ".example.com | badexample.com | 443 | false",
                "example.com | example.com.evil.net | 443 | false",
                "example.com | example.co | 443 | false",
                "EXAMPLE.COM. | Example.Com | 443 | true",
                "example.com | example.com. | 443 | true",
                "example.com:8443 | example.com | 8443 | true",
                "example.com:8443 | example.com | 443 | false",
                "xn--bcher-kva.example | XN--BCHER-KVA.example. | 443 | true",
                "xn--bcher-kva.example | BÜCHER.example | 443 | false",
                "github.com | gіthub.com | 443 | false",
                "github.com | ｇithub.com | 443 | false",
                "10.0.0.5. | 10.0.0.5 | 443 | true",
                "10.0.0.5 | 10.0.0.5. | 443 | true",
                "010.0.0.1 | 10.0.0.1 | 443 | false",
                "10.0.0.0/8 | 010.0.0.1 | 443 | false",
                "127.0.0.1 | 127.1 | 443 | false",
                "127.0.0.1 | 2130706433 | 443 | false",
                "::1 | [0:0:0:0:0:0:0:1] | 443 | true",
                "* | anything.anywhere | 443 | true",
                "a.test, *, b.test | anything.anywhere | 443 | true",
                "a.test b.test | b.test | 443 | true",
                "a.test,,b.test | c.test | 443 | false",
                "10.0.0.5 | 10.0.0.5 | 443 | true",
                "10.0.0.5 | 10.0.0.50 | 443 | false",
                "10.0.0.0/8 | 10.200.3.4 | 443 | true",
                "10.0.0.0/8 | 11.0.0.1 | 443 | false",
                "10.0.0.0/8 | 10.example.com | 443 | false",
                "127.0.0.1 | localhost | 443 | false",
                "localhost | 127.0.0.1 | 443 | false",
                "::1 | [::1] | 443 | true",
                "[::1] | [::1] | 443 | true",
                "[::1]:8443 | [::1] | 443 | false",
                "fd00::/8 | [fd12::1] | 443 | true",
                "fd00::/8 | 10.0.0.1 | 443 | false",
                "host | localhost | 443 | false",
            })
    void bypassesExactlyOnLabelBoundaries(String noProxy, String host, int port, boolean bypasses) {
        assertThat(NoProxy.parse(noProxy).bypasses(host, port)).isEqualTo(bypasses);
    }

    @Test
    void emptyBypassesNothingAndMalformedEntriesAreRefused() {
        assertThat(NoProxy.parse("").bypasses("example.com", 443)).isFalse();
        assertThat(NoProxy.parse(null).bypasses("example.com", 443)).isFalse();
        for (String bad : new String[] {
            "exa mple.com:x", "example.com:0", "example.com:99999", "10.0.0.0/33", "name/8", "ex*ample.com", "a..b",
            "bücher.example", "gіthub.com", "ｇithub.com", "::１", "[::1]x", "a@b.test", "b.test:443:1"
        }) {
            assertThatThrownBy(() -> NoProxy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theRelaysJettyClientAndTheJdkClientsAskOneRule() {
        var env = ProxyEnvironment.from(Map.of("HTTPS_PROXY", "http://proxy.test:3128", "NO_PROXY", "GHE.Corp.Test."));
        assertThat(env.proxyFor("https", "ghe.corp.test", -1)).isNull();
        assertThat(env.proxyFor("https", "api.ghe.corp.test", 8443)).isNull();
        assertThat(env.proxyFor("https", "github.com", 443)).hasToString("proxy.test/<unresolved>:3128");
        assertThat(env.proxyFor("http", "github.com", 80)).isNull();
        assertThat(env.proxyOf("https")).isEqualTo(env.proxyFor("https", "github.com", -1));
        assertThat(env.select(URI.create("https://github.com/x")).address())
                .isEqualTo(env.proxyFor("https", "github.com", -1));
    }

    @Test
    void httpsUsesItsVariableAndLowerCaseWinsButPlainHttpNeverCrossesAProxy() {
        var env = ProxyEnvironment.from(Map.of(
                "https_proxy", "http://lower.proxy:3128",
                "HTTPS_PROXY", "http://upper.proxy:3128",
                "HTTP_PROXY", "plain.proxy",
                "http_proxy", "http://plain.proxy:3128",
                "NO_PROXY", ".internal.example"));
        assertThat(env.select(URI.create("https://github.com/login")).address().toString())
                .startsWith("lower.proxy")
                .endsWith(":3128");
        // a loopback provider's tokens and codes would cross the proxy in clear
        assertThat(env.select(URI.create("http://127.0.0.1:8080/x"))).isEqualTo(Proxy.NO_PROXY);
        assertThat(env.select(URI.create("HTTP://localhost:8080/x"))).isEqualTo(Proxy.NO_PROXY);
        assertThat(env.proxyOf("http")).isNull();
        assertThat(env.select(URI.create("https://ghe.internal.example/api"))).isEqualTo(Proxy.NO_PROXY);
        assertThat(env.select(URI.create("https://ghe.notinternal.example/api")))
                .isNotEqualTo(Proxy.NO_PROXY);
        assertThat(env.describe())
                .containsEntry("https", "http://lower.proxy:3128")
                .containsEntry("http", "direct")
                .containsEntry("no_proxy", ".internal.example");
        assertThat(ProxyEnvironment.from(Map.of()).select(URI.create("https://github.com")))
                .isEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void proxyCredentialsAreRefusedWithoutEchoingThem() {
        for (String value : new String[] {
            "http://alice:s3cret-pw@proxy:3128", "alice:s3cret-pw@proxy:3128", "http://s3cret-pw@proxy"
        }) {
            assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("HTTPS_PROXY", value)))
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("HTTPS_PROXY carries credentials")
                    .message()
                    .doesNotContain("s3cret-pw")
                    .doesNotContain("\n");
        }
    }

    @Test
    void otherProxyShapesAreRefused() {
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("https_proxy", "socks5://proxy:1080")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("http:// proxy");
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("https_proxy", "https://proxy:443")))
                .isInstanceOf(StartupRefusal.class);
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("https_proxy", "http://proxy:3128/path")))
                .isInstanceOf(StartupRefusal.class);
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("no_proxy", "a.test,10.0.0.0/99")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("no_proxy: ");
    }
}
