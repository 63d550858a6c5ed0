package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code provider add --command}: the command reaches the running daemon through its providers.yaml, never the API. */
class ProviderAddCommandTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess();

    @Test
    void theCommandGoesIntoProvidersYamlAndTheNextLoginRunsIt() throws Exception {
        String script = FakeVendorCli.script().toString();
        CliRun added = broker.cli("provider", "add", "claude", "--type", "claude-code", "--command", script);
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(Files.readString(broker.home().resolve("providers.yaml")))
                .contains("claude-code:", "command: '" + script + "'");

        JsonNode started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"claude\"}"))
                .json();
        String session = started.path("session").asString();
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode now = started;
        while (now.path("verification_uri").isNull() && Instant.now().isBefore(deadline)) {
            TestBroker.pause(50);
            now = expect(200, broker.send("GET", "/v1/logins/" + session, null)).json();
        }
        assertThat(now.path("verification_uri").asString())
                .as("what the new command printed")
                .isEqualTo(FakeVendorCli.URL);
    }

    @Test
    void aCommandForAKindThatRunsNoCliOrOneAlreadySetIsRefusedAndNothingIsAdded() throws Exception {
        String script = FakeVendorCli.script().toString();
        CliRun github = broker.cli("provider", "add", "gh", "--type", "github", "--command", script);
        assertThat(github.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(github.err()).contains("--command is for AI-CLI types");
        assertThat(broker.home().resolve("providers.yaml")).doesNotExist();

        assertThat(broker.cli("provider", "add", "c1", "--type", "codex", "--command", script)
                        .exit())
                .isZero();
        CliRun other = broker.cli("provider", "add", "c2", "--type", "codex", "--command", "/bin/true");
        assertThat(other.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(other.err()).contains("already describes the codex driver");
        assertThat(expect(200, broker.send("GET", "/v1/providers", null)).body())
                .doesNotContain("\"c2\"");
    }
}
