package io.authrelay.cli;

import static io.authrelay.cli.McpStdio.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `authrelay mcp` driven by the official MCP Java SDK client, as an agent's MCP host would: the server is a
 * short-lived process, the daemon it auto-starts owns the login and outlives it.
 */
class McpServerTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withSimulator(
                    SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1).withCodeLifetimeSeconds(300))
            .withProvidersYaml(McpServerTest::githubProvider)
            .startedByTest();

    /** providers.yaml with a GitHub provider that logs in at the simulator. */
    static String githubProvider(ProviderSimulator sim) {
        return "providers:\n  - name: github\n    type: github\n    client_id: mcp-test\n    base_url: " + sim.baseUrl()
                + "\n    host: github.com\n";
    }

    private ProviderSimulator sim;
    private Path home;
    private int port;
    private final List<McpSyncClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        sim = broker.sim();
        home = broker.home();
        port = broker.port();
    }

    @AfterEach
    void tearDown() {
        clients.forEach(McpSyncClient::close);
        daemonProcess().ifPresent(ProcessHandle::destroyForcibly);
    }

    private Map<String, String> env(boolean autostart) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_HOME", home.toString());
        env.put("AUTHRELAY_URL", "http://127.0.0.1:" + port);
        env.put("AUTHRELAY_AUTOSTART", autostart ? "1" : "0");
        return env;
    }

    private McpSyncClient mcp(Map<String, String> env) {
        McpSyncClient client =
                McpStdio.connect(Cli.builder(Map.of(), List.of("mcp")).command(), env);
        clients.add(client);
        return client;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    /** The auto-started daemon, found by its argv in /proc (ProcessHandle.Info drops over-long command lines). */
    private Optional<ProcessHandle> daemonProcess() {
        return daemonProcesses().stream().findFirst();
    }

    private List<ProcessHandle> daemonProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    try {
                        String argv = new String(
                                        Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")))
                                .replace('\0', ' ');
                        return argv.contains(" server --home " + home + " ");
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                })
                .toList();
    }

    private boolean daemonReady() {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private String awaitConnected(Map<String, String> env) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            McpSyncClient client = mcp(env);
            McpSchema.CallToolResult check = call(client, "check_github_auth", Map.of());
            last = text(check);
            client.close();
            clients.remove(client);
            if (last.contains("connected as")) return last;
            Thread.sleep(1_000);
        }
        throw new AssertionError("never connected; last answer: " + last);
    }

    @SuppressWarnings("unchecked")
    private String setupAndExit() {
        McpSyncClient first = mcp(env(true));
        McpSchema.CallToolResult setup = call(first, "setup_github_auth", Map.of());
        assertThat(setup.isError()).as(text(setup)).isFalse();
        Map<String, Object> structured = (Map<String, Object>) setup.structuredContent();
        String userCode = (String) structured.get("user_code");
        assertThat(text(setup)).contains(userCode, (String) structured.get("verification_uri"));
        first.close(); // the MCP process ends here, as agents' hosts do between calls
        clients.remove(first);
        return userCode;
    }

    @Test
    void aLoginStartedThroughMcpSurvivesTheMcpProcessAndIsReportedConnectedByANewOne() throws Exception {
        String userCode = setupAndExit();
        assertThat(daemonReady())
                .as("the auto-started daemon outlives the MCP process")
                .isTrue();
        sim.approve(userCode, "octocat");
        assertThat(awaitConnected(env(true))).contains("github: connected as octocat");
    }

    @Test
    void concurrentMcpProcessesAutoStartExactlyOneDaemon() throws Exception {
        List<java.util.concurrent.CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> call(mcp(env(true)), "auth_status", Map.of())));
        }
        for (var call : calls)
            assertThat(call.get().isError()).as(text(call.get())).isFalse();
        assertThat(daemonProcesses()).hasSize(1);
    }

    @Test
    void anMcpServerKeepsWorkingAfterTheAdminTokenIsRotated() {
        broker.start();
        McpSyncClient client = mcp(env(false));
        McpSchema.CallToolResult before = call(client, "auth_status", Map.of());
        assertThat(before.isError()).as(text(before)).isFalse();
        assertThat(broker.cli("admin-token", "rotate").exit()).isZero();
        McpSchema.CallToolResult after = call(client, "auth_status", Map.of());
        assertThat(after.isError())
                .as("it reads the rotated token from the home: " + text(after))
                .isFalse();
    }

    @Test
    void theLoginAlsoSurvivesTheDaemonBeingKilledAndRestartedInBetween() throws Exception {
        String userCode = setupAndExit();
        ProcessHandle daemon = daemonProcess().orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get();
        assertThat(daemonReady()).isFalse();
        sim.approve(userCode, "octocat");
        assertThat(awaitConnected(env(true))).contains("github: connected as octocat");
        assertThat(sim.grantCounts().deviceTokensIssued()).isEqualTo(1);
    }

    @Test
    void toolsReturnCleanErrorsForBadInputAndAMissingDaemonAndNeverASecret() throws Exception {
        McpSyncClient client = mcp(env(false));
        List<String> names =
                client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(McpStdio.TOOLS);

        McpSchema.CallToolResult noDaemon = call(client, "auth_status", Map.of());
        assertThat(noDaemon.isError()).isTrue();
        assertThat(text(noDaemon)).contains("no authrelay daemon serves", "AUTHRELAY_AUTOSTART=0", "authrelay server");
        McpSchema.CallToolResult diagnosis = call(client, "oauth_helper_status", Map.of());
        assertThat(text(diagnosis)).contains("not reachable", "Auto-start is off (AUTHRELAY_AUTOSTART=0 is set)");

        broker.start();
        {
            assertThatThrownBy(() -> call(client, "no_such_tool", Map.of())).hasMessageContaining("Unknown tool");
            McpSchema.CallToolResult missing = call(client, "auth_login", Map.of());
            assertThat(missing.isError()).isTrue();
            McpSchema.CallToolResult wrongType = call(client, "auth_login", Map.of("provider", 5));
            assertThat(wrongType.isError()).isTrue();
            McpSchema.CallToolResult unknown = call(client, "auth_login", Map.of("provider", "nope"));
            assertThat(unknown.isError()).isTrue();
            assertThat(text(unknown)).contains("no provider named 'nope'");

            McpSchema.CallToolResult setup = call(client, "setup_github_auth", Map.of("scopes", "repo"));
            assertThat(setup.isError()).as(text(setup)).isFalse();
            @SuppressWarnings("unchecked")
            String code = (String) ((Map<String, Object>) setup.structuredContent()).get("user_code");
            sim.approve(code, "octocat");
            Instant deadline = Instant.now().plusSeconds(30);
            while (!text(call(client, "check_github_auth", Map.of())).contains("connected as")
                    && Instant.now().isBefore(deadline)) Thread.sleep(500);

            String admin = broker.adminToken();
            String accessToken = broker.send("POST", "/v1/credentials/github/token", "{}")
                    .json()
                    .path("token")
                    .asString();
            assertThat(accessToken).startsWith("gho_");
            for (String tool : names) {
                Map<String, Object> args =
                        tool.equals("auth_login") ? Map.of("provider", "github") : Map.of("verbose", true);
                if (tool.equals("check_github_auth") || tool.equals("auth_status") || tool.equals("setup_github_auth"))
                    args = Map.of();
                McpSchema.CallToolResult result = call(client, tool, args);
                assertThat(text(result) + result.structuredContent())
                        .as(tool)
                        .doesNotContain(accessToken)
                        .doesNotContain(admin);
            }
            assertThat(text(call(client, "oauth_helper_status", Map.of("verbose", true))))
                    .contains("is up", "heartbeat", "connected");

            broker.kill();
            McpSchema.CallToolResult gone = call(client, "auth_status", Map.of());
            assertThat(gone.isError()).isTrue();
            assertThat(text(gone)).contains("no authrelay daemon serves");
            assertThat(client.listTools().tools()).hasSize(McpStdio.TOOLS.size());
        }
    }
}
