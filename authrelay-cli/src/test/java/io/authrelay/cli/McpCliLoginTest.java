package io.authrelay.cli;

import static io.authrelay.cli.McpStdio.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An AI-CLI login through MCP, with the official SDK client: auth_login shows what the CLI printed, and
 * auth_login_input relays an answer only for a provider that allows it, since an agent could be prompt-injected into
 * pasting a code for someone else's account.
 */
class McpCliLoginTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process().withProvidersYaml(FakeVendorCli.driversYaml() + """
                    providers:
                      - name: guarded
                        type: fake-cli
                      - name: trusting
                        type: fake-cli
                        mcp_input: true
                    """);

    @Test
    void inputFromAnAgentIsRelayedOnlyWhereTheProviderAllowsIt() {
        try (McpSyncClient client = McpStdio.connect(
                Cli.builder(Map.of(), List.of("mcp")).command(),
                Map.of(
                        "AUTHRELAY_HOME", broker.home().toString(),
                        "AUTHRELAY_URL", broker.url(),
                        "AUTHRELAY_AUTOSTART", "0"))) {
            assertThat(client.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrderElementsOf(McpStdio.TOOLS);

            McpSchema.CallToolResult guarded = call(client, "auth_login", Map.of("provider", "guarded"));
            assertThat(guarded.isError()).as(text(guarded)).isFalse();
            assertThat(text(guarded)).contains(FakeVendorCli.URL).contains("authrelay login input");
            String session = structured(guarded).get("session").toString();
            McpSchema.CallToolResult refused = call(
                    client, "auth_login_input", Map.of("session", session, "input", "c0de#" + FakeVendorCli.STATE));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("login input through MCP is off for guarded");

            McpSchema.CallToolResult trusting = call(client, "auth_login", Map.of("provider", "trusting"));
            String trustingSession = structured(trusting).get("session").toString();
            McpSchema.CallToolResult relayed = call(
                    client,
                    "auth_login_input",
                    Map.of("session", trustingSession, "input", "c0de#" + FakeVendorCli.STATE));
            assertThat(relayed.isError()).as(text(relayed)).isFalse();
            assertThat(broker.awaitLoginEnd(trustingSession, Duration.ofSeconds(30))
                            .path("status")
                            .asString())
                    .isEqualTo("connected");
            assertThat(TestBroker.expect(200, broker.send("GET", "/v1/logins/" + session, null))
                            .json()
                            .path("status")
                            .asString())
                    .as("the refused input did not reach the guarded login")
                    .isEqualTo("awaiting_user");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }
}
