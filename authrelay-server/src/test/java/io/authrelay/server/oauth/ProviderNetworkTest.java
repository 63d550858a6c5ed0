package io.authrelay.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.oauth.DeviceAuthorization;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.oauth.OAuthTarget;
import io.authrelay.core.oauth.ProviderUnavailableException;
import io.authrelay.server.Daemon;
import io.authrelay.server.DaemonOptions;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.outbound.ProviderNetwork;
import io.authrelay.server.testing.PrivateCa;
import io.authrelay.server.testing.RecordingProxy;
import io.authrelay.server.testing.TlsFront;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider calls through a real forward proxy (CONNECT for https; plain http, loopback only, never through it), to the provider simulator
 * served over TLS under a private CA made with openssl: trusted with the bundle, refused without it and for a name the
 * certificate does not carry; NO_PROXY sends matching hosts direct and lookalikes through the proxy.
 */
class ProviderNetworkTest {
    @TempDir
    static Path dir;

    private static ProviderSimulator sim;
    private static PrivateCa ca;
    private static TlsFront front;
    private final RecordingProxy proxy = new RecordingProxy();

    @BeforeAll
    static void start() {
        sim = ProviderSimulator.start(SimOptions.defaults(Flavor.OIDC));
        ca = PrivateCa.create(dir.resolve("ca"), "Corporate Test CA");
        front = new TlsFront(ca.issue("ghe", "DNS:localhost"), sim.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) front.close();
        if (sim != null) sim.close();
    }

    @AfterEach
    void closeProxy() throws Exception {
        proxy.close();
    }

    @Test
    void plainHttpNeverCrossesTheProxyWhereItsCodesWouldTravelInClear() {
        for (String variable : new String[] {"http_proxy", "HTTP_PROXY", "https_proxy"}) {
            DeviceAuthorization started = client(Map.of(variable, proxy.url())).authorize(target(sim.baseUrl()));
            assertThat(started.userCode()).isNotBlank();
        }
        assertThat(proxy.requestLines()).isEmpty();
    }

    @Test
    void httpsIsTunnelledAndTrustedThroughThePrivateBundle() {
        var env = Map.of(
                "HTTPS_PROXY",
                proxy.url(),
                ProviderNetwork.CA_FILE_VARIABLE,
                ca.certificate().toString());
        DeviceAuthorization started = client(env).authorize(target("https://localhost:" + front.port()));
        assertThat(started.userCode()).isNotBlank();
        // The proxy saw only the tunnel: the request itself crossed it encrypted.
        assertThat(proxy.requestLines()).containsExactly("CONNECT localhost:" + front.port() + " HTTP/1.1");
        assertThat(proxy.seen()).noneMatch(RecordingProxy.Seen::proxyAuthorization);
    }

    @Test
    void withoutTheBundleTheProviderIsRefused() {
        var env = Map.of("HTTPS_PROXY", proxy.url());
        assertThatThrownBy(() -> client(env).authorize(target("https://localhost:" + front.port())))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("SSLHandshakeException");
        assertThatThrownBy(() -> client(Map.of()).authorize(target("https://localhost:" + front.port())))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void theBundleDoesNotTurnOffHostnameVerification() {
        // The certificate names localhost only; 127.0.0.1 is the same server under a name it does not carry.
        var env = Map.of(ProviderNetwork.CA_FILE_VARIABLE, ca.certificate().toString());
        assertThatThrownBy(() -> client(env).authorize(target("https://127.0.0.1:" + front.port())))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("I/O error");
        assertThat(client(env)
                        .authorize(target("https://localhost:" + front.port()))
                        .userCode())
                .isNotBlank();
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRefusedEvenWithABundle() {
        PrivateCa other = PrivateCa.create(dir.resolve("other"), "Another CA");
        var env = Map.of(ProviderNetwork.CA_FILE_VARIABLE, other.certificate().toString());
        assertThatThrownBy(() -> client(env).authorize(target("https://localhost:" + front.port())))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void noProxyGoesDirectForMatchesAndThroughTheProxyForLookalikes() {
        String url = "https://localhost:" + front.port();
        for (String bypass : new String[] {"localhost", ".localhost", "LOCALHOST.", "localhost:" + front.port(), "*"}) {
            client(Map.of(
                            "https_proxy",
                            proxy.url(),
                            "no_proxy",
                            bypass,
                            ProviderNetwork.CA_FILE_VARIABLE,
                            ca.certificate().toString()))
                    .authorize(target(url));
            assertThat(proxy.requestLines()).as("NO_PROXY=" + bypass).isEmpty();
        }
        for (String lookalike : new String[] {"host", "calhost", "localhost.example", "localhost:1", "127.0.0.1"}) {
            client(Map.of(
                            "https_proxy",
                            proxy.url(),
                            "NO_PROXY",
                            lookalike,
                            ProviderNetwork.CA_FILE_VARIABLE,
                            ca.certificate().toString()))
                    .authorize(target(url));
        }
        assertThat(proxy.requestLines()).hasSize(5).allMatch(line -> line.startsWith("CONNECT localhost:"));
    }

    @Test
    void discoveryOverPlainHttpGoesDirectToo() {
        var endpoints = new OAuthEndpoints(new ProviderHttp(ProviderNetwork.from(Map.of("http_proxy", proxy.url()))));
        var spec = new io.authrelay.core.provider.ProviderSpec(
                "sim",
                "oidc-device",
                null,
                null,
                "authrelay-test",
                null,
                sim.issuer(),
                null,
                null,
                null,
                true,
                null,
                false);
        assertThat(endpoints.resolve(io.authrelay.core.provider.ProviderKind.OIDC_DEVICE, spec))
                .isNotNull();
        assertThat(proxy.requestLines()).isEmpty();
    }

    @Test
    void aBadBundleOrProxyRefusesTheStartInOneLine() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Map<String, String> cases = new HashMap<>();
        cases.put(dir.resolve("missing.pem").toString(), "is not a file");
        cases.put(notPem.toString(), "not a PEM certificate bundle");
        cases.put(empty.toString(), "");
        cases.put(dir.toString(), "is not a file");
        cases.forEach((file, reason) -> assertThatThrownBy(() -> Daemon.start(
                                DaemonOptions.loopback(dir.resolve("home"), 0),
                                Map.of(ProviderNetwork.CA_FILE_VARIABLE, file),
                                Clock.systemUTC())
                        .close())
                .as(file)
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("--provider-ca-file: ")
                .hasMessageContaining(reason)
                .message()
                .doesNotContain("\n"));
        assertThatThrownBy(() -> Daemon.start(
                                DaemonOptions.loopback(dir.resolve("home"), 0),
                                Map.of("HTTPS_PROXY", "http://ops:hunter2@proxy.corp:3128"),
                                Clock.systemUTC())
                        .close())
                .isInstanceOf(StartupRefusal.class)
                .message()
                .doesNotContain("hunter2");
    }

    private static NimbusDeviceFlowClient client(Map<String, String> env) {
        return new NimbusDeviceFlowClient(Clock.systemUTC(), new ProviderHttp(ProviderNetwork.from(env)));
    }

    private static OAuthTarget target(String base) {
        OAuthSettings settings = new OAuthSettings(
                "authrelay-test",
                "openid",
                URI.create(base),
                URI.create(base + "/oauth/device_authorization"),
                URI.create(base + "/oauth/token"),
                null,
                null);
        return new OAuthTarget() {
            @Override
            public String name() {
                return "sim";
            }

            @Override
            public OAuthSettings oauth() {
                return settings;
            }
        };
    }
}
