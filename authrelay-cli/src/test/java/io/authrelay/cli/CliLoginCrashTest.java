package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.pty.CliRunner;
import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The daemon SIGKILLed while a CLI login runs: the CLI does not outlive it, and the next start ends the session
 * {@code failed} with the reason (it never stays pending) and wipes the run's private home.
 */
class CliLoginCrashTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withProvidersYaml(FakeVendorCli.driversYaml() + "providers:\n  - name: fake\n    type: fake-cli\n");

    @Test
    void aRunKilledWithItsDaemonEndsFailedAtTheNextStartAndLeavesNothing() {
        JsonNode started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"fake\"}"))
                .json();
        String session = started.path("session").asString();
        awaitUrl(session);
        Path runs = broker.home().resolve("runs");
        assertThat(CliRunner.runDirectories(runs)).hasSize(1);
        assertThat(fakeCliProcesses()).isNotEmpty();

        broker.kill();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!fakeCliProcesses().isEmpty() && Instant.now().isBefore(deadline)) TestBroker.pause(100);
        assertThat(fakeCliProcesses()).as("no CLI outlives its daemon").isEmpty();

        broker.start();
        JsonNode after =
                expect(200, broker.send("GET", "/v1/logins/" + session, null)).json();
        assertThat(after.path("status").asString()).isEqualTo("failed");
        assertThat(after.path("reason").asString())
                .startsWith("the daemon running this CLI login (replica replica-")
                .endsWith(") stopped");
        assertThat(CliRunner.runDirectories(runs))
                .as("its home, wiped at start")
                .isEmpty();
    }

    private void awaitUrl(String session) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            JsonNode now = expect(200, broker.send("GET", "/v1/logins/" + session, null))
                    .json();
            if (!now.path("verification_uri").isNull()) return;
            TestBroker.pause(50);
        }
        throw new AssertionError("the fake CLI's URL never showed: " + broker.log());
    }

    /** Processes running the fake vendor CLI's script, found by their command line. */
    private static List<ProcessHandle> fakeCliProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    try {
                        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")))
                                .contains("/fake-cli\0login");
                    } catch (IOException gone) {
                        return false;
                    }
                })
                .toList();
    }
}
