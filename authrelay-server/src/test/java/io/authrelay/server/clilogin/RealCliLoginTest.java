package io.authrelay.server.clilogin;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.RealAiCli;
import io.authrelay.server.testing.TestBroker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The shipped drivers with the real CLIs from npm (tools/ai-clis), through the daemon's API: what each prints is
 * captured exactly, a relayed code reaches the CLI, an API key login completes, and a cancel ends the run. Vendors
 * cannot be reached here, so a relayed code ends in the CLI's own failure line: that line is the proof it got there.
 */
class RealCliLoginTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess().withProvidersYaml(sim -> """
            drivers:
              claude-code: {command: %s}
              codex: {command: %s}
              gemini-cli: {command: %s}
            providers:
              - name: claude
                type: claude-code
              - name: codex
                type: codex
              - name: gemini
                type: gemini-cli
            """.formatted(
                    RealAiCli.claude().executable(),
                    RealAiCli.codex().executable(),
                    RealAiCli.gemini().executable()));

    @Test
    void claudesPastedCodeReachesTheCliAndItsOwnFailureLineIsTheReason() {
        JsonNode prompted = startAndAwaitPrompt("{\"provider\":\"claude\"}");
        // Claude Code 2.1.332 prints an opaque short link (its parameters stay on the vendor's side), on its own line.
        assertThat(prompted.path("verification_uri").asString())
                .matches("https://claude\\.ai/oauth/authorize\\?z-[A-Za-z0-9_-]{20,}");
        assertThat(prompted.path("input").asString()).isEqualTo("paste");

        String session = prompted.path("session").asString();
        String reader = broker.createApiToken("reader", "read");
        assertThat(expect(200, broker.send("GET", "/v1/logins/" + session, null, reader))
                        .json()
                        .path("verification_uri")
                        .asString())
                .as("the short link carries no state, and is still the login's: for admins only")
                .isEqualTo("(hidden: admin only)");
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"c0de-xyz#st4te-xyz\"}"));
        JsonNode ended = broker.awaitLoginEnd(session, Duration.ofSeconds(90));
        assertThat(ended.path("status").asString()).isEqualTo("failed");
        assertThat(ended.path("reason").asString())
                .doesNotContain("did not finish")
                .isNotBlank();
        assertThat(broker.log()).doesNotContain("c0de-xyz");
        JsonNode diagnosis =
                expect(200, broker.send("GET", "/v1/diagnose/" + session, null)).json();
        assertThat(diagnosis.toString()).doesNotContain("c0de-xyz");
    }

    @Test
    void aCodexApiKeyLoginCompletesAndIsDeliveredInCodexsOwnVariable() {
        JsonNode started = expect(
                        201,
                        broker.send(
                                "POST",
                                "/v1/logins",
                                "{\"provider\":\"codex\",\"mode\":\"api-key\",\"api_key\":\"sk-test-k3y-123\"}"))
                .json();
        JsonNode ended = broker.awaitLoginEnd(started.path("session").asString(), Duration.ofSeconds(90));
        assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("connected");

        String workspace = broker.createWorkspace("agent", "codex");
        JsonNode delivered = expect(200, broker.send("POST", "/v1/deliver", "{\"provider\":\"codex\"}", workspace))
                .json();
        assertThat(delivered.path("credential").asString()).isEqualTo("api_key");
        assertThat(delivered.path("env").path("CODEX_API_KEY").asString()).isEqualTo("sk-test-k3y-123");
        assertThat(broker.log()).doesNotContain("sk-test-k3y-123");
    }

    @Test
    void geminisUrlIsCapturedInAPtyAndACancelEndsTheRun() {
        JsonNode prompted = startAndAwaitPrompt("{\"provider\":\"gemini\"}");
        URI url = URI.create(prompted.path("verification_uri").asString());
        assertThat(url.getScheme() + "://" + url.getHost() + url.getPath())
                .isEqualTo("https://accounts.google.com/o/oauth2/v2/auth");
        assertThat(url.getQuery()).contains("access_type=offline").contains("state=");
        String session = prompted.path("session").asString();
        expect(200, broker.send("POST", "/v1/logins/" + session + "/cancel", "{}"));
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(10))
                        .path("status")
                        .asString())
                .isEqualTo("cancelled");
    }

    @Test
    void codexsOwnErrorLineIsTheReasonWhenItsIssuerCannotBeReached() {
        JsonNode started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"codex\"}"))
                .json();
        JsonNode ended = broker.awaitLoginEnd(started.path("session").asString(), Duration.ofSeconds(90));
        assertThat(ended.path("status").asString()).isEqualTo("failed");
        assertThat(ended.path("reason").asString()).startsWith("Error logging in:");
    }

    private JsonNode startAndAwaitPrompt(String body) {
        JsonNode started = expect(201, broker.send("POST", "/v1/logins", body)).json();
        String session = started.path("session").asString();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            JsonNode now = expect(200, broker.send("GET", "/v1/logins/" + session, null))
                    .json();
            if (!now.path("verification_uri").isNull()) return now;
            assertThat(now.path("status").asString()).as(now.toString()).isIn("pending", "awaiting_user");
            TestBroker.pause(100);
        }
        throw new AssertionError("no URL within 90 s: " + broker.log());
    }
}
