package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Workspaces can be corrected: grants added and removed, a revoked one deleted and its name used again. */
class WorkspaceCliTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process();

    @Test
    void grantsAreCheckedChangedAndTheNameCanBeReused() throws Exception {
        broker.addStaticProvider("forge", "git.example.test", "forge-secret-0001");
        expect(
                201,
                broker.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"later\",\"type\":\"static\",\"host\":\"later.example.test\"}"));

        CliRun created = broker.cli("workspace", "create", "agent", "--grant", "forge=git.example.test/team/*");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.err()).doesNotContain("warning");

        CliRun mismatch = broker.cli("workspace", "grant", "agent", "--grant", "forge=evil.example/team/*");
        assertThat(mismatch.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(mismatch.err()).contains("serves git.example.test, not evil.example");

        CliRun notConnected = broker.cli("workspace", "grant", "agent", "--grant", "later");
        assertThat(notConnected.exit()).as(notConnected.toString()).isZero();
        assertThat(notConnected.err()).contains("warning: provider later is not connected yet");
        assertThat(notConnected.out()).contains("forge=git.example.test/team/*", "later=later.example.test");

        JsonNode ungranted =
                Json.MAPPER.readTree(broker.cli("workspace", "ungrant", "agent", "--grant", "later", "--json")
                        .out());
        assertThat(ungranted.path("grants")).hasSize(1);
        assertThat(broker.cli("workspace", "ungrant", "agent", "--grant", "forge=git.example.test/team/*")
                        .err())
                .contains("would have no grant left");

        CliRun active = broker.cli("workspace", "delete", "agent");
        assertThat(active.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(active.err()).contains("still active", "workspace revoke agent");
        assertThat(broker.cli("workspace", "revoke", "agent").exit()).isZero();
        assertThat(broker.cli("workspace", "delete", "agent").exit()).isZero();
        assertThat(broker.cli("workspace", "create", "agent", "--grant", "forge")
                        .exit())
                .isZero();
    }

    @Test
    void everyCommandAndSubcommandExplainsItself() {
        for (String[] command : new String[][] {
            {"login", "--help"},
            {"token", "-h"},
            {"server", "--help"},
            {"audit", "--help"},
            {"setup-git", "-h"},
            {"dev", "provider-sim", "--help"},
            {"workspace", "grant", "-h"},
            {"login", "cancel", "--help"},
            {"help", "workspace"},
            {"help", "login"}
        }) {
            CliRun help = broker.cli(command);
            assertThat(help.exit()).as(String.join(" ", command) + ": " + help).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Usage:");
        }
        CliRun cancel = broker.cli("login", "cancel", "ls_doesnotexist");
        assertThat(cancel.err()).doesNotContain("Missing required parameter");
        assertThat(cancel.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        CliRun list = broker.cli("login", "list");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("LOGIN", "CODE / ENDED");
    }
}
