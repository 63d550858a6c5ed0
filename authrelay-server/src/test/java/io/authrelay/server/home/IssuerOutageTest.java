package io.authrelay.server.home;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** An OpenID issuer that is down when the daemon starts degrades its provider instead of stopping the start. */
class IssuerOutageTest {
    private static final SimOptions OIDC = SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(1);

    @RegisterExtension
    final TestBroker d = TestBroker.inProcess().withSimulator(OIDC).startedByTest();

    private void declare(String... issuers) {
        StringBuilder yaml = new StringBuilder("providers:\n");
        for (int i = 0; i < issuers.length; i++) {
            yaml.append("  - name: ")
                    .append(i == 0 ? "sso" : "later")
                    .append("\n    type: oidc-device\n    client_id: cli\n    issuer: ")
                    .append(issuers[i])
                    .append('\n');
        }
        PrivateDirs.file(PrivateDirs.directory(d.home()).resolve(ProvidersFile.NAME), yaml.toString());
    }

    private JsonNode provider(String name) {
        return expect(200, d.send("GET", "/v1/providers/" + name, null)).json();
    }

    private List<String> warningsOfTheLastStart(int loggedBefore) {
        return d.log()
                .substring(loggedBefore)
                .lines()
                .filter(line -> line.contains(" WARN "))
                .toList();
    }

    @Test
    void theDaemonStartsOnTheLastKnownEndpointsAndALoginWorksOnceTheIssuerIsBack() {
        ProviderSimulator sim = d.sim();
        int issuerPort = sim.port();
        int deadPort = TestBroker.freePort();
        String deadIssuer = "http://127.0.0.1:" + deadPort;
        declare(sim.issuer());
        d.start();
        assertThat(d.loginApprovedBy(sim, "sso").path("status").asString()).isEqualTo("connected");
        JsonNode endpoints = provider("sso").path("oauth");
        d.terminate();
        sim.close();
        declare(sim.issuer(), deadIssuer);
        int logged = d.log().length();

        d.start();

        JsonNode sso = provider("sso");
        assertThat(sso.path("degraded").asBoolean()).isTrue();
        assertThat(sso.path("degraded_reason").asString()).contains("connection refused");
        assertThat(sso.path("degraded_since").asString()).isNotBlank();
        assertThat(sso.path("oauth")).isEqualTo(endpoints);
        JsonNode status = expect(200, d.send("GET", "/v1/status", null)).json();
        JsonNode ssoStatus = status.path("providers").get(0);
        assertThat(ssoStatus.path("name").asString()).isEqualTo("sso");
        assertThat(ssoStatus.path("degraded").asBoolean()).isTrue();
        assertThat(ssoStatus.path("degraded_reason").asString()).contains("connection refused");
        assertThat(ssoStatus.path("credential_state").asString()).isEqualTo("connected");
        expectError(404, "provider_not_found", d.send("GET", "/v1/providers/later", null));
        assertThat(warningsOfTheLastStart(logged))
                .satisfiesExactlyInAnyOrder(
                        line -> assertThat(line).contains("provider 'sso' is degraded", "last known endpoints"),
                        line -> assertThat(line).contains("provider 'later' was not added", "next start"));

        try (ProviderSimulator back = ProviderSimulator.start(OIDC.withPort(issuerPort))) {
            assertThat(d.loginApprovedBy(back, "sso").path("status").asString()).isEqualTo("connected");
            d.restart();
            assertThat(provider("sso").path("degraded").asBoolean()).isFalse();
            assertThat(provider("sso").path("degraded_reason").isNull()).isTrue();
            expectError(404, "provider_not_found", d.send("GET", "/v1/providers/later", null));

            try (ProviderSimulator laterIssuer = ProviderSimulator.start(OIDC.withPort(deadPort))) {
                d.restart();
                assertThat(provider("later").path("oauth").path("issuer").asString())
                        .isEqualTo(laterIssuer.issuer());
            }
        }
    }
}
