package io.authrelay.server.home;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.HomeDatabase;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Removing a provider that is in use takes force; then everything that hung on it goes, and nothing is orphaned. */
class ProviderRemovalTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(1))
            .withProvidersYaml(
                    sim -> "providers:\n  - name: sso\n    type: oidc-device\n    client_id: cli\n    issuer: "
                            + sim.issuer() + "\n");

    @Test
    void aProviderInUseIsRefusedWithTheListThenForceDeletesItAllInOneGo() {
        ProviderSimulator sim = d.sim();
        String connected = d.loginApprovedBy(sim, "sso").path("session").asString();
        String pending = expect(201, d.send("POST", "/v1/logins", "{\"provider\":\"sso\",\"force\":true}"))
                .json()
                .path("session")
                .asString();
        d.addStaticProvider("forge", "git.forge.test", "forge-secret");
        d.createWorkspace("beta", "sso", "forge");
        d.createWorkspace("alpha", "sso", "sso=127.0.0.1/org/*");
        HomeDatabase db = d.database();
        String mine = "provider = 'sso'";
        assertThat(db.count("SELECT COUNT(*) FROM login_event WHERE " + mine)).isPositive();

        Reply refused = expectError(409, "provider_in_use", d.send("DELETE", "/v1/providers/sso", null));
        assertThat(refused.json().path("error").path("message").asString())
                .isEqualTo("provider 'sso' is in use: removing it deletes the credential,"
                        + " 3 grants in workspaces alpha, beta and 2 login sessions");
        assertThat(refused.json().path("error").path("hint").asString()).contains("--force", "?force=true");
        assertThat(db.count("SELECT COUNT(*) FROM credential WHERE " + mine)).isOne();
        assertThat(db.count("SELECT COUNT(*) FROM workspace_grant WHERE " + mine))
                .isEqualTo(3);
        expectError(400, "invalid_query", d.send("DELETE", "/v1/providers/sso?force=yes", null));

        JsonNode removed = expect(200, d.send("DELETE", "/v1/providers/sso?force=true", null))
                .json();

        assertThat(removed.path("message").asString())
                .isEqualTo("removed provider 'sso' with the credential, 3 grants in workspaces alpha, beta"
                        + " and 2 login sessions");
        assertThat(removed.path("deleted").path("grants").asInt()).isEqualTo(3);
        assertThat(removed.path("hint").asString()).contains("providers.yaml", "next start");
        for (String table : new String[] {
            "provider WHERE name = 'sso'",
            "credential WHERE " + mine,
            "workspace_grant WHERE " + mine,
            "login_session WHERE " + mine,
            "login_event WHERE " + mine
        }) {
            assertThat(db.count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
        assertThat(db.count(
                        "SELECT COUNT(*) FROM sealed_secret WHERE (owner_kind = 'credential' AND owner_id = 'sso')"
                                + " OR (owner_kind = 'login' AND owner_id IN (?, ?))",
                        connected,
                        pending))
                .isZero();
        assertThat(db.count("SELECT COUNT(*) FROM sealed_secret WHERE owner_id = 'forge'"))
                .isOne();
        assertThat(db.count("SELECT COUNT(*) FROM workspace")).isEqualTo(2);
        assertThat(d.grantedProviders("beta")).containsExactly("forge");
        assertThat(db.count("SELECT COUNT(*) FROM pragma_foreign_key_check")).isZero();
        awaitNoTaskFor(db, pending);
        assertThat(expect(200, d.send("GET", "/v1/audit", null)).body())
                .contains("provider.remove", "deleted the credential, 3 grants in workspaces alpha, beta");

        d.restart();
        assertThat(expect(200, d.send("GET", "/v1/providers/sso", null))
                        .json()
                        .path("name")
                        .asString())
                .as("providers.yaml declares it again")
                .isEqualTo("sso");
        assertThat(expect(200, d.send("GET", "/v1/credentials", null)).body()).doesNotContain("\"sso\"");
    }

    @Test
    void withoutACredentialOrGrantsNoForceIsNeeded() {
        expect(201, d.send("POST", "/v1/providers", "{\"name\":\"spare\",\"type\":\"static\",\"host\":\"h.test\"}"));
        JsonNode removed =
                expect(200, d.send("DELETE", "/v1/providers/spare", null)).json();
        assertThat(removed.path("message").asString()).isEqualTo("removed provider 'spare'");
        assertThat(removed.path("hint").isNull()).isTrue();
    }

    /** A poll that was running when the removal cancelled it ends by itself once it finds no session. */
    private static void awaitNoTaskFor(HomeDatabase db, String session) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String tasks = "SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance IN (?, 'sso')";
        while (db.count(tasks, session) > 0 && Instant.now().isBefore(deadline)) TestBroker.pause(100);
        assertThat(db.count(tasks, session)).isZero();
    }
}
