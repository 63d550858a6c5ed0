package io.authrelay.cli.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Runs the README's shell examples in order, as a new user would: a fresh HOME, `bin/authrelay` as the real CLI,
 * the provider simulator standing in for real providers. The README's ports, codes, sessions and tokens are replaced
 * by the live ones. A line marked {@code # readme-test: skip REASON} cannot run here; each one is reported.
 */
class ReadmeTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern WORKSPACE_TOKEN = Pattern.compile("arw_[A-Za-z0-9_-]{20,}");

    @TempDir
    Path dir;

    private final List<Process> background = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private final int daemonPort = TestBroker.freePort();
    private final int simPort = TestBroker.freePort();
    private String workspaceToken = "arw_none_yet";

    @AfterEach
    void stopBackground() {
        background.forEach(p -> p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly));
        background.forEach(Process::destroyForcibly);
    }

    @Test
    void everyShellExampleRunsAsWritten() throws Exception {
        ExternalTool.require("bash");
        ExternalTool.require("curl");
        ExternalTool.require("git");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("token.txt"), "readme-secret-0123456789\n");
        Path bin = launchers();
        env.put("HOME", home.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("GIT_CONFIG_GLOBAL", home.resolve(".gitconfig").toString());
        env.put("AUTHRELAY_URL", "http://127.0.0.1:" + daemonPort); // where the README's 7878 went

        Map<String, String> shellStart = Map.copyOf(env);
        int block = 0;
        List<String> skipped = new ArrayList<>();
        for (ReadmeScript.Line line :
                ReadmeScript.parse(ROOT.resolve("README.md")).lines()) {
            if (line.block() != block) { // a new shell: the last block's exports are gone
                env.clear();
                env.putAll(shellStart);
                block = line.block();
            }
            if (line.skipped()) {
                skipped.add("README line " + line.number() + ": " + line.command() + " (" + line.skipReason() + ")");
                continue;
            }
            run(line, work);
        }
        skipped.forEach(ExternalTool::reportSkipped);
        assertThat(skipped)
                .as("some lines ran")
                .hasSizeLessThan(
                        ReadmeScript.parse(ROOT.resolve("README.md")).lines().size());
    }

    private void run(ReadmeScript.Line line, Path work) throws Exception {
        String command = substitute(line.command());
        if (command.startsWith("export ")) {
            for (String assignment : command.substring(7).strip().split("\\s+")) {
                int eq = assignment.indexOf('=');
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
            return;
        }
        boolean inBackground = command.endsWith("&");
        if (inBackground)
            command = "exec " + command.substring(0, command.length() - 1).strip(); // we hold it
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(work.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AUTHRELAY_") || k.startsWith("GIT_"));
        builder.environment().putAll(env);
        if (inBackground) {
            Process process = builder.redirectErrorStream(true)
                    .redirectOutput(dir.resolve("background-" + background.size() + ".log")
                            .toFile())
                    .start();
            background.add(process);
            awaitListening(process, command.contains("provider-sim") ? simPort : daemonPort, line);
            return;
        }
        // Output goes to files, not pipes: a command that hangs, or leaves a child holding its output, is then
        // stopped by the timeout below instead of blocking the read.
        Path outFile = dir.resolve("line-" + line.number() + ".out");
        Path errFile = dir.resolve("line-" + line.number() + ".err");
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile())
                .start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String out = Files.readString(outFile);
        String err = Files.readString(errFile);
        assertThat(finished)
                .as(
                        "README line %d finished within 90 s: %s%n--- stdout%n%s--- stderr%n%s",
                        line.number(), command, out, err)
                .isTrue();
        assertThat(process.exitValue())
                .as("README line %d: %s%n--- stdout%n%s--- stderr%n%s", line.number(), command, out, err)
                .isEqualTo(line.expectedExit());
        Matcher token = WORKSPACE_TOKEN.matcher(out);
        if (token.find()) workspaceToken = token.group();
    }

    /** The README's example values, replaced by this run's. */
    private String substitute(String command) {
        String result = command.replace("bin/authrelay", "authrelay")
                .replace("bin/git-credential-authrelay", "git-credential-authrelay")
                .replace("127.0.0.1:7878", "127.0.0.1:" + daemonPort)
                .replace("127.0.0.1:8787", "127.0.0.1:" + simPort)
                .replace("/path/to/authrelay", ROOT.toString())
                .replace("arw_...", workspaceToken);
        if (result.contains("ABCD-EFGH") || result.matches(".*\\bSESSION\\b.*")) {
            JsonNode pending = pendingLogin();
            result = result.replace("ABCD-EFGH", pending.path("user_code").asString())
                    .replaceAll("\\bSESSION\\b", pending.path("session").asString());
        }
        return result;
    }

    /** The login the README just started, read from the daemon as its admin. */
    private JsonNode pendingLogin() {
        var run = Cli.run(Map.of("HOME", env.get("HOME")), null, "login", "list", "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        for (JsonNode login : Json.MAPPER.readTree(run.out()).path("logins")) {
            String status = login.path("status").asString();
            if (status.equals("pending") || status.equals("awaiting_user")) return login;
        }
        throw new AssertionError("the README refers to a pending login, but none is pending");
    }

    private void awaitListening(Process process, int port, ReadmeScript.Line line) throws Exception {
        Path log = dir.resolve("background-" + (background.size() - 1) + ".log");
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                TestBroker.pause(500); // listening; give it the moment it takes to answer too
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("README line " + line.number() + " started nothing on port " + port
                + "\n--- its output\n" + Files.readString(log));
    }

    /** `authrelay` and `git-credential-authrelay` on PATH, running this build's classes. */
    private Path launchers() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        String java = String.join(
                " ",
                Cli.java(null, Cli.MAIN, Map.of(), List.of()).command().stream()
                        .map(a -> "'" + a + "'")
                        .toList());
        Files.writeString(bin.resolve("authrelay"), "#!/bin/sh\nexec " + java + " \"$@\"\n");
        Files.writeString(bin.resolve("git-credential-authrelay"), "#!/bin/sh\nexec authrelay git-credential \"$@\"\n");
        for (String name : List.of("authrelay", "git-credential-authrelay")) {
            Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwx------"));
        }
        return bin;
    }
}
