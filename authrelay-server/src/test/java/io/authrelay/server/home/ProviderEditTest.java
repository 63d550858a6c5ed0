package io.authrelay.server.home;

import static io.authrelay.server.testing.TestBroker.expect;
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

/** Editing providers.yaml outside a provider's identity, restart after restart, keeps everything that hangs on it. */
class ProviderEditTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(1))
            .withProvidersYaml(sim -> declaration(sim, ""));

    private static String declaration(ProviderSimulator sim, String moreKeys) {
        return """
                providers:
                  - name: sso
                    type: oidc-device
                    client_id: cli
                    issuer: %s
                %s""".formatted(sim.issuer(), moreKeys);
    }

    private JsonNode provider() {
        return expect(200, d.send("GET", "/v1/providers/sso", null)).json();
    }

    private long sealedTokens() {
        return d.database()
                .count("SELECT COUNT(*) FROM sealed_secret WHERE owner_kind = 'credential' AND owner_id = 'sso'");
    }

    @Test
    void everyEditOutsideTheIdentityKeepsTheCredentialTheGrantsAndTheLoginHistory() {
        JsonNode login = d.loginApprovedBy(d.sim(), "sso");
        assertThat(login.path("status").asString()).isEqualTo("connected");
        String workspace = d.createWorkspace("agents", "sso");
        expect(200, d.vend(workspace, "127.0.0.1", null));
        JsonNode before = provider();
        JsonNode oauth = before.path("oauth");
        assertThat(sealedTokens()).isEqualTo(2);

        // Each edit is added to the ones before it. One re-states the discovered endpoints by hand, so the endpoints
        // change (no userinfo or revocation any more) while the issuer stays. The host goes last: the grant survives,
        // but the provider's secret now belongs to the new host, so the old grant no longer vends to the old one.
        List<String> edits = List.of(
                "    scopes: openid profile offline_access\n",
                "    username: bot\n",
                "    allow_http: true\n",
                "    device_endpoint: " + oauth.path("device_endpoint").asString() + "\n    token_endpoint: "
                        + oauth.path("token_endpoint").asString() + "\n",
                "    host: git.sso.test\n");
        StringBuilder keys = new StringBuilder();
        for (String edit : edits) {
            keys.append(edit);
            PrivateDirs.file(d.home().resolve(ProvidersFile.NAME), declaration(d.sim(), keys.toString()));
            d.restart();

            assertThat(sealedTokens()).as("after %s", edit).isEqualTo(2);
            JsonNode credential = expect(200, d.send("GET", "/v1/credentials", null))
                    .json()
                    .path("credentials")
                    .get(0);
            assertThat(credential.path("provider").asString()).isEqualTo("sso");
            assertThat(credential.path("state").asString()).as("after %s", edit).isEqualTo("connected");
            if (!edit.contains("host:")) expect(200, d.vend(workspace, "127.0.0.1", null));
            else TestBroker.expectError(403, "not_granted", d.vend(workspace, "127.0.0.1", null));
            assertThat(d.grantedProviders("agents")).containsExactly("sso");
            assertThat(expect(200, d.send("GET", "/v1/logins?provider=sso", null))
                            .json()
                            .path("logins")
                            .get(0)
                            .path("session")
                            .asString())
                    .isEqualTo(login.path("session").asString());
        }

        JsonNode after = provider();
        assertThat(after.path("created_at")).isEqualTo(before.path("created_at"));
        assertThat(after.path("oauth").path("scopes").asString()).isEqualTo("openid profile offline_access");
        assertThat(after.path("username").asString()).isEqualTo("bot");
        assertThat(after.path("host").asString()).isEqualTo("git.sso.test");
        assertThat(after.path("allow_http").asBoolean()).isTrue();
        assertThat(after.path("oauth").path("userinfo_endpoint").isNull()).isTrue();
        assertThat(after.path("degraded").asBoolean()).isFalse();
        assertThat(expect(200, d.send("POST", "/v1/credentials/sso/token", "{}"))
                        .json()
                        .path("token")
                        .asString())
                .isNotBlank();
    }
}
