package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The sh helper against the real daemon: {@code helper.sh materialize} writes what the driver delivers, JDK-less. */
class ShHelperDeliveryTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess()
            .withProvidersYaml(FakeVendorCli.driversYaml() + "providers:\n  - name: fake\n    type: fake-cli\n");

    @TempDir
    Path dir;

    @Test
    void theShHelperWritesTheDeliveredFileFromTheDaemonsLineFormat() throws Exception {
        ExternalTool.require("dash");
        ExternalTool.require("curl");
        JsonNode started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"fake\"}"))
                .json();
        String session = started.path("session").asString();
        Instant deadline = Instant.now().plusSeconds(30);
        while (expect(200, broker.send("GET", "/v1/logins/" + session, null))
                        .json()
                        .path("verification_uri")
                        .isNull()
                && Instant.now().isBefore(deadline)) TestBroker.pause(50);
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"sh1#st4te\"}"));
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        String token = broker.createWorkspace("agent", "fake");

        Path home = Files.createDirectories(dir.resolve("home"));
        GitWorld.Run run = GitWorld.helper(
                Map.of(
                        "AUTHRELAY_URL",
                        broker.url(),
                        "AUTHRELAY_TOKEN",
                        token,
                        "AUTHRELAY_CONFIG",
                        "/nonexistent/client.conf",
                        "PATH",
                        System.getenv("PATH")),
                "",
                "dash",
                ShHelper.script(dir).toString(),
                "materialize",
                "fake",
                home.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(Files.readString(home.resolve(".fake/creds.json")))
                .isEqualTo("{\"access\":\"access-sh1\",\"account\":\"" + FakeVendorCli.ACCOUNT + "\"}");
        assertThat(run.out() + run.err()).doesNotContain("access-sh1");
    }
}
