package io.authrelay.server;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.outbound.ProviderNetwork;
import io.authrelay.server.testing.PrivateCa;
import io.authrelay.server.testing.RecordingProxy;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TlsFront;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The daemon's whole device login (authorization, polls, token) through a forward proxy to a provider served under a
 * private CA, with HTTPS_PROXY and AUTHRELAY_PROVIDER_CA_FILE read at start; /v1/status names the proxy and the bundle.
 */
class ProviderProxyDaemonTest {
    private final Path dir = scratch();
    private final PrivateCa ca = PrivateCa.create(dir.resolve("ca"), "Corporate Test CA");
    private final RecordingProxy proxy = new RecordingProxy();

    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC))
            .withDaemonEnv("HTTPS_PROXY", proxy.url())
            .withDaemonEnv("NO_PROXY", "ghe.corp.test,.internal.test")
            .withDaemonEnv(ProviderNetwork.CA_FILE_VARIABLE, ca.certificate().toString())
            .startedByTest();

    @AfterEach
    void closeProxy() throws Exception {
        proxy.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void aDeviceLoginRunsThroughTheProxyToAProviderUnderAPrivateCa() throws Exception {
        broker.start();
        try (TlsFront front =
                new TlsFront(ca.issue("sso", "DNS:localhost"), broker.sim().port())) {
            String base = "https://localhost:" + front.port();
            expect(
                    201,
                    broker.send(
                            "POST",
                            "/v1/providers",
                            "{\"name\":\"corp-sso\",\"type\":\"oidc-device\",\"client_id\":\"authrelay-test\","
                                    + "\"issuer\":\"" + base + "\",\"device_endpoint\":\"" + base
                                    + "/oauth/device_authorization\",\"token_endpoint\":\"" + base
                                    + "/oauth/token\"}"));
            JsonNode login = broker.loginApprovedBy(broker.sim(), "corp-sso");
            assertThat(login.path("status").asString()).as(login.toString()).isEqualTo("connected");
            assertThat(proxy.requestLines())
                    .isNotEmpty()
                    .allMatch(line -> line.equals("CONNECT localhost:" + front.port() + " HTTP/1.1"));
        }
        JsonNode network =
                expect(200, broker.send("GET", "/v1/status", null)).json().path("providers_network");
        assertThat(network.path("proxy").path("https").asString()).isEqualTo(proxy.url());
        assertThat(network.path("proxy").path("http").asString()).isEqualTo("direct");
        assertThat(network.path("proxy").path("no_proxy").asString()).isEqualTo("ghe.corp.test,.internal.test");
        assertThat(network.path("ca_file").asString())
                .isEqualTo(ca.certificate().toString());
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("authrelay-proxy-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
