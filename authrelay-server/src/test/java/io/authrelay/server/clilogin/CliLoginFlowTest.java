package io.authrelay.server.clilogin;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.pty.CliRunner;
import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A whole AI-CLI login through the daemon, with a vendor CLI described in providers.yaml alone (no shipped driver):
 * a sh script that prints an authorize URL, reads the pasted code, writes a credential file and says it succeeded.
 * The real CLIs are driven in the pty package's tests and in CliLoginRealCliTest.
 */
class CliLoginFlowTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess()
            .withProvidersYaml(FakeVendorCli.driversYaml()
                    + "    relay:\n      upstream: https://api.fake.test\n      env:\n        FAKE_BASE_URL: '{{relay_url}}'\n"
                    + "providers:\n  - name: fake\n    type: fake-cli\n");

    @Test
    void thePastedCodeReachesTheCliAndTheCredentialItWroteIsSealed() {
        JsonNode prompted = startAndAwaitUrl();
        String session = prompted.path("session").asString();
        assertThat(prompted.path("verification_uri").asString())
                .isEqualTo("https://vendor.test/oauth/authorize?client_id=fake&state=st4te");
        assertThat(prompted.path("input").asString()).isEqualTo("paste");
        assertThat(runHomes()).as("the run's private home, while it runs").hasSize(1);

        String reader = broker.createApiToken("reader", "read");
        JsonNode asReader = expect(200, broker.send("GET", "/v1/logins/" + session, null, reader))
                .json();
        assertThat(asReader.path("verification_uri").asString()).isEqualTo("(hidden: admin only)");

        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"c0de#st4te\"}"));
        JsonNode ended = broker.awaitLoginEnd(session, Duration.ofSeconds(30));
        assertThat(ended.path("status").asString()).isEqualTo("connected");
        assertThat(ended.path("account").asString()).isEqualTo("me@example.com");

        JsonNode status = expect(200, broker.send("GET", "/v1/status", null)).json();
        assertThat(status.toString())
                .contains("\"fake\"")
                .doesNotContain("access-c0de")
                .doesNotContain("refresh-c0de");
        assertThat(runHomes()).as("the run's private home is wiped").isEmpty();
        assertThat(broker.log()).doesNotContain("c0de#st4te").doesNotContain("access-c0de");

        JsonNode timeline =
                expect(200, broker.send("GET", "/v1/diagnose/" + session, null)).json();
        assertThat(timeline.toString()).contains("Login successful").doesNotContain("c0de#st4te");
    }

    @Test
    void aWorkspaceGetsTheAccessTokenInTheDriversFormsAndNeverTheRefreshToken() {
        connect("k3y#st4te");
        String workspace = broker.createWorkspace("agent", "fake");
        JsonNode delivered = expect(200, broker.send("POST", "/v1/deliver", "{\"provider\":\"fake\"}", workspace))
                .json();
        assertThat(delivered.path("env").path("FAKE_TOKEN").asString()).isEqualTo("access-k3y");
        assertThat(delivered.path("files").get(0).path("path").asString()).isEqualTo(".fake/creds.json");
        assertThat(delivered.path("files").get(0).path("content").asString())
                .isEqualTo("{\"access\":\"access-k3y\",\"account\":\"me@example.com\"}");
        assertThat(delivered.toString()).doesNotContain("refresh-k3y");

        JsonNode vended = expect(200, broker.send("POST", "/v1/vend", "{\"provider\":\"fake\"}", workspace))
                .json();
        assertThat(vended.path("kind").asString()).isEqualTo("cli-login");

        broker.addStaticProvider("forge", "git.example.com", "static-secret");
        String other = broker.createWorkspace("other", "forge");
        expectError(403, "not_granted", broker.send("POST", "/v1/deliver", "{\"provider\":\"fake\"}", other));
    }

    /** {@code exec --relay}'s request: one audit row each, granted or not, with the workspace, provider and outcome. */
    @Test
    void theRelaysDeliveryIsAuditedWithItsWorkspaceProviderAndOutcomeAndNoSecret() {
        connect("r3lay#st4te");
        String workspace = broker.createWorkspace("agent", "fake");
        JsonNode relay = expect(200, broker.send("POST", "/v1/deliver/relay", "{\"provider\":\"fake\"}", workspace))
                .json();
        assertThat(relay.path("env").path("FAKE_BASE_URL").asString()).isNotEmpty();
        broker.addStaticProvider("forge", "git.example.com", "static-secret");
        String other = broker.createWorkspace("other", "forge");
        expectError(403, "not_granted", broker.send("POST", "/v1/deliver/relay", "{\"provider\":\"fake\"}", other));
        expectError(
                404,
                "provider_not_found",
                broker.send("POST", "/v1/deliver/relay", "{\"provider\":\"nope\\u0001\"}", workspace));

        JsonNode events = expect(200, broker.send("GET", "/v1/audit?action=deliver.relay&order=newest", null))
                .json()
                .path("events");
        assertThat(events).hasSize(3);
        assertThat(row(events.get(2))).isEqualTo("workspace:agent deliver.relay fake ok");
        assertThat(row(events.get(1))).isEqualTo("workspace:other deliver.relay fake denied");
        assertThat(row(events.get(0))).isEqualTo("workspace:agent deliver.relay nope\\u0001 failed");
        assertThat(events.get(1).path("detail").asString()).isEqualTo("not_granted");
        assertThat(events.toString())
                .contains("127.0.0.1")
                .doesNotContain("access-r3lay")
                .doesNotContain("refresh-r3lay")
                .doesNotContain(workspace);
    }

    private static String row(JsonNode event) {
        return event.path("actor").asString() + " " + event.path("action").asString() + " "
                + event.path("target").asString() + " " + event.path("result").asString();
    }

    @Test
    void theClisOwnFailureLineIsTheReasonAndInputFromAnAgentIsRefused() {
        String session = startAndAwaitUrl().path("session").asString();
        expectError(
                403,
                "mcp_input_disabled",
                broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"x#y\",\"from_agent\":true}"));
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"no-hash\"}"));
        JsonNode ended = broker.awaitLoginEnd(session, Duration.ofSeconds(30));
        assertThat(ended.path("status").asString()).isEqualTo("failed");
        assertThat(ended.path("reason").asString()).isEqualTo("Login failed: Invalid code");
        assertThat(runHomes()).isEmpty();
    }

    @Test
    void theApiCannotChooseWhatTheDaemonRuns() {
        expect(
                400,
                broker.send(
                        "POST", "/v1/providers", "{\"name\":\"evil\",\"type\":\"fake-cli\",\"command\":\"/bin/sh\"}"));
        expectError(
                400,
                "unknown_login_mode",
                broker.send("POST", "/v1/providers", "{\"name\":\"m\",\"type\":\"fake-cli\",\"mode\":\"../x\"}"));
        JsonNode added = expect(
                        201, broker.send("POST", "/v1/providers", "{\"name\":\"second\",\"type\":\"fake-cli\"}"))
                .json();
        assertThat(added.path("type").asString()).isEqualTo("fake-cli");
        assertThat(added.path("cli").path("mode").asString()).isEqualTo("paste");
    }

    @Test
    void cancellingEndsTheRunAndWipesItsHome() {
        String session = startAndAwaitUrl().path("session").asString();
        expect(200, broker.send("POST", "/v1/logins/" + session + "/cancel", "{}"));
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(10))
                        .path("status")
                        .asString())
                .isEqualTo("cancelled");
        Instant deadline = Instant.now().plusSeconds(10);
        while (!runHomes().isEmpty() && Instant.now().isBefore(deadline)) TestBroker.pause(100);
        assertThat(runHomes()).isEmpty();
    }

    private void connect(String code) {
        String session = startAndAwaitUrl().path("session").asString();
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"" + code + "\"}"));
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
    }

    private JsonNode startAndAwaitUrl() {
        JsonNode started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"fake\"}"))
                .json();
        String session = started.path("session").asString();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            JsonNode now = expect(200, broker.send("GET", "/v1/logins/" + session, null))
                    .json();
            if (!now.path("verification_uri").isNull()) return now;
            TestBroker.pause(50);
        }
        throw new AssertionError("the fake CLI's URL never showed");
    }

    private java.util.List<Path> runHomes() {
        return CliRunner.runDirectories(broker.home().resolve("runs"));
    }
}
