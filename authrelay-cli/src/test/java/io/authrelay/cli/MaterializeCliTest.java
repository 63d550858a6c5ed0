package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.Deliveries;
import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.client.MiniJson;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code authrelay materialize} as a workspace runs it: the real CLI in its own JVM against a stand-in broker. */
class MaterializeCliTest {
    private static final String TOKEN = "arw_" + "c".repeat(40);
    private static final String ACCESS = "sk-ant-oat01-" + "z".repeat(30);
    private static final String FILE = ".claude/.credentials.json";
    private static final String CONTENT = "{\"claudeAiOauth\":{\"accessToken\":\"" + ACCESS + "\"}}";
    private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static Map<String, String> env(FakeBroker broker) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        return env;
    }

    private static Answer delivery() {
        return Deliveries.ok("claude", EXPIRY, Map.of("CLAUDE_CODE_OAUTH_TOKEN", ACCESS), FILE, CONTENT);
    }

    @Test
    void writesTheFilesAndSaysWhereNeverWhat() throws Exception {
        Path home = dir.resolve("home");
        try (FakeBroker broker = FakeBroker.always(delivery())) {
            CliRun run = Cli.run(env(broker), null, "materialize", "claude", "--home", home.toString());
            Path written = home.toRealPath().resolve(FILE);

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).isEmpty();
            assertThat(run.err())
                    .isEqualTo("authrelay: materialize claude: wrote " + written + " (expires " + EXPIRY + ")\n");
            assertThat(Files.readString(written)).isEqualTo(CONTENT);

            CliRun json = Cli.run(env(broker), null, "materialize", "claude", "--home", home.toString(), "--json");
            assertThat(json.exit()).isZero();
            assertThat(MiniJson.parseObject(json.out()))
                    .isEqualTo(Map.of(
                            "provider",
                            "claude",
                            "files",
                            List.of(written.toString()),
                            "expires_at",
                            EXPIRY.toString()));
            assertThat(json.err()).isEmpty();
            assertThat(run.out() + run.err() + json.out() + json.err()).doesNotContain(ACCESS);
        }
    }

    @Test
    void aRefusalIsOneLineAndTheDocumentedExitCode() throws Exception {
        Map<Answer, Integer> refusals = Map.of(
                Answer.error(409, "needs_reauth", "claude needs a new login", null), ExitCodes.FAILED,
                Answer.error(401, "workspace_revoked", "revoked", null), ExitCodes.AUTH,
                Answer.error(404, "unknown_host", "no such provider", null), ExitCodes.NOT_FOUND,
                Deliveries.ok("claude", null, Map.of(), "../escape", CONTENT), ExitCodes.FAILED);
        for (var refusal : refusals.entrySet()) {
            try (FakeBroker broker = FakeBroker.always(refusal.getKey())) {
                CliRun run = Cli.run(
                        env(broker),
                        null,
                        "materialize",
                        "claude",
                        "--home",
                        dir.resolve("home").toString(),
                        "--watch");
                assertThat(run.exit()).as(run.toString()).isEqualTo(refusal.getValue());
                assertThat(run.err()).startsWith("authrelay: ").hasLineCount(1);
                assertThat(broker.requests()).hasSize(1);
            }
        }
        assertThat(dir.resolve("escape")).doesNotExist();
        CliRun unreachable = Cli.run(
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:1", "AUTHRELAY_TOKEN", TOKEN, "AUTHRELAY_TIMEOUT", "2"),
                null,
                "materialize",
                "claude",
                "--home",
                dir.resolve("home").toString());
        assertThat(unreachable.exit()).as(unreachable.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.err()).hasLineCount(1);
    }

    @Test
    void anIntervalUnderFiveSecondsIsAUsageError() throws Exception {
        try (FakeBroker broker = FakeBroker.always(delivery())) {
            CliRun run = Cli.run(env(broker), null, "materialize", "claude", "--home", "x", "--watch", "--every", "4");
            assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).isEqualTo("authrelay: --every must be at least 5 seconds\n");
            assertThat(broker.requests()).isEmpty();
        }
    }

    @Test
    void sigtermEndsAWatchWithExitCodeZeroAndKeepsTheLastGoodFiles() throws Exception {
        Path home = dir.resolve("home");
        try (FakeBroker broker = FakeBroker.always(delivery())) {
            Process process = Cli.builder(
                            env(broker),
                            List.of("materialize", "claude", "--home", home.toString(), "--watch", "--json"))
                    .redirectError(dir.resolve("stderr").toFile())
                    .start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine(); // the first delivery is on disk once it is reported
                assertThat(first).as(Files.readString(dir.resolve("stderr"))).contains("\"provider\":\"claude\"");
                process.destroy(); // SIGTERM
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(process.exitValue())
                    .as(Files.readString(dir.resolve("stderr")))
                    .isZero();
            assertThat(Files.readString(home.resolve(FILE))).isEqualTo(CONTENT);
            try (var left = Files.list(home.resolve(".claude"))) {
                assertThat(left).containsExactly(home.resolve(FILE));
            }
        }
    }
}
