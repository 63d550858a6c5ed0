package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.http.Json;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The official MCP Inspector (CLI mode, from npm) lists and calls every tool of `authrelay mcp`. */
class McpInspectorTest {
    private static final Path INSPECTOR = Path.of(System.getProperty("user.dir"))
            .getParent()
            .resolve("tools/mcp-inspector/node_modules/.bin/mcp-inspector");

    @TempDir
    Path tmp;

    private Process daemon;
    private ProviderSimulator sim;

    @AfterEach
    void cleanUp() {
        if (daemon != null) daemon.destroyForcibly();
        if (sim != null) sim.close();
    }

    private JsonNode inspect(Path home, int port, String... method) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                INSPECTOR.toString(),
                "--cli",
                "-e",
                "AUTHRELAY_HOME=" + home,
                "-e",
                "AUTHRELAY_URL=http://127.0.0.1:" + port,
                "-e",
                "AUTHRELAY_AUTOSTART=0"));
        command.addAll(CliProcess.builder(java.util.Map.of(), "mcp").command());
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
        sim = ProviderSimulator.start(new SimOptions("127.0.0.1", 0, Flavor.GITHUB, 1, 300, 0));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(
                home.resolve("providers.yaml"),
                "providers:\n  - name: github\n    type: github\n    client_id: inspector\n    base_url: "
                        + sim.baseUrl() + "\n    host: github.com\n");
        int port = DaemonProcess.freePort();
        daemon = DaemonProcess.start(home, port, tmp.resolve("daemon.log"));

        JsonNode tools = inspect(home, port, "--method", "tools/list").path("tools");
        assertThat(tools.valueStream().map(t -> t.path("name").asString()).toList())
                .containsExactlyInAnyOrder(
                        "setup_github_auth",
                        "check_github_auth",
                        "oauth_helper_status",
                        "auth_login",
                        "auth_status",
                        "auth_diagnose");

        JsonNode setup = inspect(home, port, "--method", "tools/call", "--tool-name", "setup_github_auth");
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
            JsonNode result = inspect(home, port, args.toArray(String[]::new));
            assertThat(result.path("isError").asBoolean())
                    .as(call[0] + ": " + result)
                    .isFalse();
            assertThat(result.path("content").get(0).path("text").asString())
                    .as(call[0])
                    .isNotBlank();
        }
        JsonNode bad = inspect(
                home, port, "--method", "tools/call", "--tool-name", "auth_login", "--tool-arg", "provider=nope");
        assertThat(bad.path("isError").asBoolean()).isTrue();
    }
}
