package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The daemon and the CLI as real processes, the way a user runs them, with a canary secret hunted everywhere it must not be. */
class EndToEndTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process();

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
        Path home = broker.home();
        Map<String, String> env = broker.cliEnv();

        assertThat(Cli.run(
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

        Process set = Cli.builder(env, List.of("credential", "set", "gh")).start();
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

        assertThat(Cli.run(env, null, "token", "gh").out().trim()).isEqualTo(canary);
        JsonNode credentials = Json.MAPPER.readTree(
                Cli.run(env, null, "credential", "list", "--json").out());
        assertThat(credentials.path("credentials").get(0).path("state").asString())
                .isEqualTo("connected");
        assertThat(credentials.toString()).doesNotContain(canary);
        JsonNode status =
                Json.MAPPER.readTree(Cli.run(env, null, "status", "--json").out());
        assertThat(status.path("ready").asBoolean()).isTrue();
        assertThat(status.path("providers").get(0).path("credential_state").asString())
                .isEqualTo("connected");

        assertThat(Cli.run(env, null, "keys", "rotate").exit()).isZero();
        assertThat(Cli.run(env, null, "token", "gh").out().trim()).isEqualTo(canary);
        CliRun audit = Cli.run(env, null, "audit", "--json");
        assertThat(audit.out())
                .contains("credential.write", "credential.read", "keys.rotate")
                .doesNotContain(canary);
        assertThat(Cli.run(env, null, "doctor").exit()).isZero();
        assertThat(allArgv()).doesNotContain(canary);

        assertThat(broker.terminate()).as("exit code after SIGTERM").isZero();
        String textLog = broker.log();
        assertThat(textLog).contains("listening on").doesNotContain(canary);
        assertThat(bytesOf(home)).doesNotContain(canary);

        broker.withDaemonArgs("--log-format=json").start();
        assertThat(Cli.run(env, null, "token", "gh").out().trim()).isEqualTo(canary);
        Cli.run(env, canary + "-changed\n", "credential", "set", "gh");
        assertThat(broker.terminate()).isZero();
        String json = broker.log().substring(textLog.length());
        assertThat(json.lines().filter(l -> l.startsWith("{"))).isNotEmpty().allSatisfy(l -> Json.MAPPER.readTree(l));
        assertThat(json).doesNotContain(canary);
        assertThat(bytesOf(home)).doesNotContain(canary);
    }

    @Test
    void exitCodesSayWhatWentWrong() throws Exception {
        int port = broker.port();
        Map<String, String> env = broker.cliEnv();

        assertThat(Cli.run(env, null, "version").exit()).isEqualTo(ExitCodes.OK);
        CliRun missing = Cli.run(env, null, "credential", "delete", "nope");
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).startsWith("authrelay: ").contains("hint:");
        assertThat(Cli.run(env, null, "provider", "add", "x").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(env, null, "audit", "--since", "whenever").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(env, "", "credential", "set", "x").exit()).isEqualTo(ExitCodes.USAGE);
        var wrongToken = new java.util.HashMap<>(env);
        wrongToken.put("AUTHRELAY_TOKEN", "ara_wrong");
        assertThat(Cli.run(wrongToken, null, "status").exit()).isEqualTo(ExitCodes.AUTH);
        CliRun unreachable = Cli.run(
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + TestBroker.freePort(), "AUTHRELAY_TOKEN", "x"),
                null,
                "status");
        assertThat(unreachable.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.err()).contains("broker unreachable at").contains("hint:");

        CliRun second = Cli.run(
                Map.of(), null, "server", "--home=" + broker.dir().resolve("other"), "--listen=127.0.0.1:" + port);
        assertThat(second.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(second.err()).contains("refusing to start").contains("in use");
    }
}
