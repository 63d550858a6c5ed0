package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The official MCP Inspector (CLI mode, from npm) lists and calls every tool of `authrelay mcp`. */
class McpInspectorTest {
    private static final Path INSPECTOR = Path.of(System.getProperty("user.dir"))
            .getParent()
            .resolve("tools/mcp-inspector/node_modules/.bin/mcp-inspector");

    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withSimulator(
                    SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1).withCodeLifetimeSeconds(300))
            .withProvidersYaml(McpServerTest::githubProvider);

    private JsonNode inspect(String... method) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                INSPECTOR.toString(),
                "--cli",
                "-e",
                "AUTHRELAY_HOME=" + broker.home(),
                "-e",
                "AUTHRELAY_URL=" + broker.url(),
                "-e",
                "AUTHRELAY_AUTOSTART=0"));
        command.addAll(Cli.builder(java.util.Map.of(), List.of("mcp")).command());
        command.addAll(List.of(method));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return Json.MAPPER.readTree(out);
    }

    @Test
    void theInspectorListsAndCallsEveryTool() throws Exception {
        ExternalTool.require("node");
        ExternalTool.requireFile(INSPECTOR, "run npm ci --prefix tools/mcp-inspector (as .ci/run does)");

        JsonNode tools = inspect("--method", "tools/list").path("tools");
        assertThat(tools.valueStream().map(t -> t.path("name").asString()).toList())
                .containsExactlyInAnyOrderElementsOf(McpStdio.TOOLS);

        JsonNode setup = inspect("--method", "tools/call", "--tool-name", "setup_github_auth");
        assertThat(setup.path("isError").asBoolean()).as(setup.toString()).isFalse();
        String code = setup.path("structuredContent").path("user_code").asString();
        assertThat(setup.toString()).contains(code);
        for (String[] call : List.of(
                new String[] {"check_github_auth"},
                new String[] {"oauth_helper_status", "verbose=true"},
                new String[] {"auth_login", "provider=github"},
                new String[] {"auth_status"},
                new String[] {"auth_diagnose", "provider=github"})) {
            List<String> args = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", call[0]));
            if (call.length > 1) args.addAll(List.of("--tool-arg", call[1]));
            JsonNode result = inspect(args.toArray(String[]::new));
            assertThat(result.path("isError").asBoolean())
                    .as(call[0] + ": " + result)
                    .isFalse();
            assertThat(result.path("content").get(0).path("text").asString())
                    .as(call[0])
                    .isNotBlank();
        }
        JsonNode bad = inspect("--method", "tools/call", "--tool-name", "auth_login", "--tool-arg", "provider=nope");
        assertThat(bad.path("isError").asBoolean()).isTrue();
        // A device login takes no relayed input: the tool answers, as an error the agent can read.
        JsonNode input = inspect(
                "--method",
                "tools/call",
                "--tool-name",
                "auth_login_input",
                "--tool-arg",
                "session=" + setup.path("structuredContent").path("session").asString(),
                "--tool-arg",
                "input=abc");
        assertThat(input.path("isError").asBoolean()).as(input.toString()).isTrue();
        assertThat(input.path("content").get(0).path("text").asString()).isNotBlank();
    }
}
