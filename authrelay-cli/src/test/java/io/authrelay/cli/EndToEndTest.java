package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The daemon and the CLI as real processes, the way a user runs them, with a canary secret hunted everywhere it must not be. */
class EndToEndTest {
    @TempDir
    Path tmp;

    private Process daemon;

    @AfterEach
    void killDaemon() {
        if (daemon != null && daemon.isAlive()) daemon.destroyForcibly();
    }

    private static int freePort() throws IOException {
        return DaemonProcess.freePort();
    }

    private Process startDaemon(Path home, int port, Path log, String... extra) throws Exception {
        return DaemonProcess.start(home, port, log, extra);
    }

    private static int terminate(Process process) throws InterruptedException {
        Instant start = Instant.now();
        process.toHandle().destroy(); // SIGTERM
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("stopped within 10 s of SIGTERM")
                .isTrue();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        return process.exitValue();
    }

    /** Every process's argv on this machine, read while the CLI is reading the secret. */
    private static String allArgv() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    all.append(new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                                    .replace('\0', ' '))
                            .append('\n');
                } catch (IOException gone) {
                    // the process exited while we listed
                }
            }
        }
        return all.toString();
    }

    private static String bytesOf(Path home) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("authrelay.db"))
                    .toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @Test
    void aUserStoresReadsRotatesAndAuditsASecretThatLeaksNowhere() throws Exception {
        String canary = "Canary-" + UUID.randomUUID();
        Path home = tmp.resolve("home");
        int port = freePort();
        Path textLog = tmp.resolve("text.log");
        daemon = startDaemon(home, port, textLog);
        Map<String, String> env =
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + port, "AUTHRELAY_HOME", home.toString());

        assertThat(CliProcess.run(
                                env,
                                null,
                                "provider",
                                "add",
                                "gh",
                                "--type",
                                "static",
                                "--host",
                                "github.com",
                                "--username",
                                "x-access-token")
                        .exit())
                .isZero();

        Process set = CliProcess.builder(env, "credential", "set", "gh").start();
        var stdin = set.getOutputStream();
        stdin.write(canary.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        String argvWhileSetting = allArgv();
        stdin.write('\n');
        stdin.close();
        assertThat(set.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(set.exitValue())
                .as(new String(set.getErrorStream().readAllBytes()))
                .isZero();
        assertThat(argvWhileSetting).contains("credential set gh").doesNotContain(canary);

        assertThat(CliProcess.run(env, null, "token", "gh").out().trim()).isEqualTo(canary);
        JsonNode credentials = Json.MAPPER.readTree(
                CliProcess.run(env, null, "credential", "list", "--json").out());
        assertThat(credentials.path("credentials").get(0).path("state").asString())
                .isEqualTo("connected");
        assertThat(credentials.toString()).doesNotContain(canary);
        JsonNode status = Json.MAPPER.readTree(
                CliProcess.run(env, null, "status", "--json").out());
        assertThat(status.path("ready").asBoolean()).isTrue();
        assertThat(status.path("providers").get(0).path("credential_state").asString())
                .isEqualTo("connected");

        assertThat(CliProcess.run(env, null, "keys", "rotate").exit()).isZero();
        assertThat(CliProcess.run(env, null, "token", "gh").out().trim()).isEqualTo(canary);
        CliProcess.Result audit = CliProcess.run(env, null, "audit", "--json");
        assertThat(audit.out())
                .contains("credential.write", "credential.read", "keys.rotate")
                .doesNotContain(canary);
        assertThat(CliProcess.run(env, null, "doctor").exit()).isZero();
        assertThat(allArgv()).doesNotContain(canary);

        assertThat(terminate(daemon)).as("exit code after SIGTERM").isZero();
        assertThat(Files.readString(textLog)).contains("listening on").doesNotContain(canary);
        assertThat(bytesOf(home)).doesNotContain(canary);

        Path jsonLog = tmp.resolve("json.log");
        daemon = startDaemon(home, port, jsonLog, "--log-format=json");
        assertThat(CliProcess.run(env, null, "token", "gh").out().trim()).isEqualTo(canary);
        CliProcess.run(env, canary + "-changed\n", "credential", "set", "gh");
        assertThat(terminate(daemon)).isZero();
        String json = Files.readString(jsonLog);
        assertThat(json.lines().filter(l -> l.startsWith("{"))).isNotEmpty().allSatisfy(l -> Json.MAPPER.readTree(l));
        assertThat(json).doesNotContain(canary);
        assertThat(bytesOf(home)).doesNotContain(canary);
    }

    @Test
    void exitCodesSayWhatWentWrong() throws Exception {
        Path home = tmp.resolve("home");
        int port = freePort();
        daemon = startDaemon(home, port, tmp.resolve("d.log"));
        Map<String, String> env =
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + port, "AUTHRELAY_HOME", home.toString());

        assertThat(CliProcess.run(env, null, "version").exit()).isEqualTo(ExitCodes.OK);
        CliProcess.Result missing = CliProcess.run(env, null, "credential", "delete", "nope");
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).startsWith("authrelay: ").contains("hint:");
        assertThat(CliProcess.run(env, null, "provider", "add", "x").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.run(env, null, "audit", "--since", "whenever").exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(CliProcess.run(env, "", "credential", "set", "x").exit()).isEqualTo(ExitCodes.USAGE);
        var wrongToken = new java.util.HashMap<>(env);
        wrongToken.put("AUTHRELAY_TOKEN", "ara_wrong");
        assertThat(CliProcess.run(wrongToken, null, "status").exit()).isEqualTo(ExitCodes.AUTH);
        CliProcess.Result unreachable = CliProcess.run(
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + freePort(), "AUTHRELAY_TOKEN", "x"), null, "status");
        assertThat(unreachable.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.err()).contains("no authrelay daemon at").contains("hint:");

        CliProcess.Result second = CliProcess.run(
                Map.of(), null, "server", "--home=" + tmp.resolve("other"), "--listen=127.0.0.1:" + port);
        assertThat(second.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(second.err()).contains("refusing to start").contains("in use");
    }
}
