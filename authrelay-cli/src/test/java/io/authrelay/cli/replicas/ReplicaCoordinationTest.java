package io.authrelay.cli.replicas;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestReplicas;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two real replicas on one PostgreSQL: what one takes away, the other refuses on its very next request whatever it
 * cached; they list each other; the provisioned admin token works on both and neither replaces it; and an AI-CLI
 * login's run, a process on one replica, is found by the other or ended failed when its replica dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaCoordinationTest {
    private static final String HOST = "git.example.com";

    /** One pair for the class (each replica is a JVM): the test that kills one runs last. */
    @RegisterExtension
    static final TestReplicas replicas = TestReplicas.of(2)
            .withProvidersYaml(FakeVendorCli.driversYaml() + "providers:\n  - name: fake\n    type: fake-cli\n");

    @Test
    @Order(1)
    void whatOneReplicaRevokesTheOtherRefusesOnTheVeryNextVend() {
        TestBroker a = replicas.replica(0);
        TestBroker b = replicas.replica(1);
        a.addStaticProvider("forge", HOST, "static-secret-0123456789");
        a.addStaticProvider("other", "git.other.example", "static-secret-9876543210");

        for (int round = 0; round < 5; round++) {
            // Revoked: B served it a moment ago (so it is cached there), then A revokes it.
            String token = a.createWorkspace("revoked-" + round, "forge");
            expect(200, b.vend(token, HOST, "org/repo"));
            expect(200, a.send("POST", "/v1/workspaces/revoked-" + round + "/revoke", "{}"));
            assertThat(b.vend(token, HOST, "org/repo").status()).isEqualTo(401);

            // Rotated: the old token stops on B at once, the new one works there.
            String old = a.createWorkspace("rotated-" + round, "forge");
            expect(200, b.vend(old, HOST, "org/repo"));
            String rotated = expect(200, a.send("POST", "/v1/workspaces/rotated-" + round + "/rotate", "{}"))
                    .json()
                    .path("token")
                    .asString();
            assertThat(b.vend(old, HOST, "org/repo").status()).isEqualTo(401);
            expect(200, b.vend(rotated, HOST, "org/repo"));

            // Ungranted: B no longer hands the credential to it.
            String ungranted = a.createWorkspace("ungranted-" + round, "forge", "other");
            expect(200, b.vend(ungranted, HOST, "org/repo"));
            expect(200, a.send("POST", "/v1/workspaces/ungranted-" + round + "/ungrant", "{\"grants\":[\"forge\"]}"));
            assertThat(b.vend(ungranted, HOST, "org/repo").status()).isNotEqualTo(200);
        }

        // The credential itself removed on A: B hands out nothing for it.
        String token = a.createWorkspace("after-logout", "forge");
        expect(200, b.vend(token, HOST, "org/repo"));
        assertThat(a.send("DELETE", "/v1/credentials/forge", null).status()).isBetween(200, 204);
        assertThat(b.vend(token, HOST, "org/repo").status()).isNotEqualTo(200);
    }

    @Test
    @Order(1)
    void eachReplicaListsTheLiveOnes() {
        JsonNode status = status(1);
        assertThat(status.path("replicas")).hasSize(2);
        assertThat(status.path("replicas").get(0).path("self").asBoolean()).isTrue();
        assertThat(status.path("replicas").get(0).path("address").asString()).isEqualTo(replicas.url(1));
        assertThat(status.path("replicas").findValuesAsString("address"))
                .containsExactlyInAnyOrder(replicas.url(0), replicas.url(1));
        assertThat(status.path("database").asString()).isEqualTo("postgresql");
        assertThat(status.path("cache_notifications").asString()).isEqualTo("listening");

        var doctor = replicas.replica(1).cli("doctor");
        assertThat(doctor.out()).contains("replicas").contains("2 live").contains("cache notifications listening");
    }

    @Test
    @Order(1)
    void theProvisionedAdminTokenWorksOnEveryReplicaAndNoneReplacesIt() {
        assertThat(replicas.adminToken(0)).isEqualTo(replicas.adminToken(1));
        for (int i = 0; i < 2; i++) {
            expectError(
                    409, "admin_token_provisioned", replicas.replica(i).send("POST", "/v1/admin-token/rotate", "{}"));
        }
        expect(200, replicas.replica(1).send("GET", "/v1/status", null, replicas.adminToken(0)));
    }

    @Test
    @Order(2)
    void inputForACliLoginIsPointedAtItsReplicaAndTheLoginFailsWhenThatReplicaDies() {
        TestBroker owner = replicas.replica(0);
        TestBroker other = replicas.replica(1);
        String session = expect(201, owner.send("POST", "/v1/logins", "{\"provider\":\"fake\"}"))
                .json()
                .path("session")
                .asString();
        await(
                () -> !login(other, session).path("verification_uri").isNull(),
                "the other replica shows the URL the owner's CLI printed");

        String before = login(other, session).path("status").asString();
        JsonNode elsewhere = expectError(
                        409,
                        "login_runs_elsewhere",
                        other.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"c0de#st4te\"}"))
                .json();
        assertThat(elsewhere.path("error").path("message").asString()).contains(replicas.url(0));
        assertThat(elsewhere.path("error").path("hint").asString())
                .contains("AUTHRELAY_URL=" + replicas.url(0))
                .doesNotContain("c0de");
        assertThat(login(other, session).path("status").asString()).isEqualTo(before);

        replicas.kill(0);
        await(
                () -> login(other, session).path("status").asString().equals("failed"),
                "the survivor ends the dead replica's CLI login failed");
        assertThat(login(other, session).path("reason").asString()).contains("stopped");
        assertThat(status(1).path("replicas")).hasSize(1);
        expect(200, other.send("GET", "/readyz", null));
        // A new login for the provider can start on the survivor.
        expect(201, other.send("POST", "/v1/logins", "{\"provider\":\"fake\"}"));
    }

    private JsonNode status(int i) {
        return expect(200, replicas.replica(i).send("GET", "/v1/status", null)).json();
    }

    private static JsonNode login(TestBroker broker, String session) {
        return expect(200, broker.send("GET", "/v1/logins/" + session, null)).json();
    }

    /** Heartbeats and sweeps run on their own clocks: wait for the outcome; 60 s only bounds a hang. */
    private static void await(Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError(what + ": not within 60 s");
            TestBroker.pause(200);
        }
    }
}
