package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.Deliveries;
import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a workspace's real AI CLI does with a delivery: the files {@code authrelay materialize} writes and the variables
 * {@code authrelay exec} sets are the credential the CLI then sends, seen by a stand-in for the vendor's API (the
 * method of the reference notes). The CLIs come from tools/ai-clis (npm ci, as .ci/run does).
 */
class AiCliDeliveryTest {
    private static final Path AI_CLIS =
            Path.of(System.getProperty("user.dir")).getParent().resolve("tools/ai-clis/node_modules/.bin");
    private static final String TOKEN = "arw_" + "a".repeat(40);
    private static final String CLAUDE_FILE = ".claude/.credentials.json";

    @TempDir
    Path dir;

    private static Path cli(String name) {
        return ExternalTool.requireFile(AI_CLIS.resolve(name), "run npm ci --prefix tools/ai-clis (as .ci/run does)");
    }

    private static Map<String, String> workspace(FakeBroker broker) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        return env;
    }

    /** Only what the CLI needs: no credential of the machine's, no way out but the stand-in API. */
    private static Map<String, String> cliEnvironment(Path home, FakeBroker api) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", api.url());
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        return env;
    }

    private static String claudeCredentials(String accessToken) {
        return "{\"claudeAiOauth\":{\"accessToken\":\"" + accessToken + "\",\"expiresAt\":"
                + Instant.now().plusSeconds(3_600).toEpochMilli()
                + ",\"scopes\":[\"user:inference\",\"user:profile\"],\"subscriptionType\":\"pro\"}}";
    }

    /**
     * Starts {@code command}, waits (at most a minute: this bounds a hang, it measures nothing) until the stand-in API
     * has seen a request carrying {@code bearer}, then ends the command and everything it started.
     */
    private static FakeBroker.Request firstCallWith(ProcessBuilder command, FakeBroker api, String bearer)
            throws Exception {
        command.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        command.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = command.start();
        try {
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (System.nanoTime() < until) {
                for (FakeBroker.Request request : api.requests()) {
                    if (("Bearer " + bearer).equals(request.authorization())) return request;
                }
                if (!process.isAlive() && api.requests().isEmpty()) break;
                Thread.sleep(100);
            }
            throw new AssertionError("no request with the delivered token; the API saw "
                    + api.requests().stream()
                            .map(r -> r.method() + " " + r.path())
                            .toList());
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void claudeSendsTheAccessTokenOfTheFileMaterializeWrote() throws Exception {
        Path claude = cli("claude");
        String access = "sk-ant-oat01-materialized-" + "m".repeat(20);
        Path home = dir.resolve("home");
        try (FakeBroker broker = FakeBroker.always(Deliveries.ok(
                        "claude",
                        null,
                        Map.of("CLAUDE_CODE_OAUTH_TOKEN", access),
                        CLAUDE_FILE,
                        claudeCredentials(access)));
                FakeBroker api = FakeBroker.always(Answer.error(500, "api_error", "stand-in", null))) {
            CliRun run = Cli.run(workspace(broker), null, "materialize", "claude", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isZero();

            ProcessBuilder command = new ProcessBuilder(claude.toString(), "-p", "hi");
            command.environment().clear();
            command.environment().putAll(cliEnvironment(home, api));
            FakeBroker.Request call = firstCallWith(command, api, access);
            assertThat(call.path()).startsWith("/v1/messages");
        }
    }

    @Test
    void claudeRunByExecSendsTheDeliveredVariable() throws Exception {
        Path claude = cli("claude");
        String access = "sk-ant-oat01-exec-" + "e".repeat(20);
        Path home = Files.createDirectories(dir.resolve("empty-home"));
        Answer vend = Answer.json(
                200,
                "{\"provider\":\"claude\",\"kind\":\"cli-login\",\"host\":\"api.anthropic.com\",\"username\":\"x\","
                        + "\"password\":\"" + access + "\"}");
        Answer delivery = Deliveries.ok("claude", null, Map.of("CLAUDE_CODE_OAUTH_TOKEN", access));
        try (FakeBroker broker = new FakeBroker((i, r) -> r.path().equals("/v1/deliver") ? delivery : vend);
                FakeBroker api = FakeBroker.always(Answer.error(500, "api_error", "stand-in", null))) {
            Map<String, String> env = cliEnvironment(home, api);
            env.putAll(workspace(broker));
            ProcessBuilder command = Cli.builder(
                    env, List.of("exec", "--isolate", "--provider", "claude", "--", claude.toString(), "-p", "hi"));
            FakeBroker.Request call = firstCallWith(command, api, access);
            assertThat(call.path()).startsWith("/v1/messages");
            assertThat(broker.requests())
                    .extracting(FakeBroker.Request::path)
                    .containsExactly("/v1/vend", "/v1/deliver");
        }
    }

    /** Codex reads only its auth.json for a ChatGPT login: the file is the one way, and exec alone cannot give it. */
    @Test
    void codexSendsTheAccessTokenOfTheAuthFileMaterializeWrote() throws Exception {
        Path codex = cli("codex");
        String access = "codex-access-" + "c".repeat(24);
        String auth =
                "{\"auth_mode\":\"chatgpt\",\"OPENAI_API_KEY\":null,\"tokens\":{\"id_token\":\"e30.e30.authrelay\","
                        + "\"access_token\":\"" + access + "\",\"refresh_token\":\"\",\"account_id\":\"acct-1\"},"
                        + "\"last_refresh\":\"" + Instant.now() + "\"}";
        Path home = dir.resolve("home");
        try (FakeBroker broker = FakeBroker.always(Deliveries.ok("codex", null, Map.of(), ".codex/auth.json", auth));
                FakeBroker api = FakeBroker.always(Answer.error(500, "api_error", "stand-in", null))) {
            CliRun run = Cli.run(workspace(broker), null, "materialize", "codex", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isZero();

            String backend = api.url() + "/backend-api/";
            ProcessBuilder command = new ProcessBuilder(
                    codex.toString(),
                    "exec",
                    "--skip-git-repo-check",
                    "-c",
                    "model_provider=\"local\"",
                    "-c",
                    "model_providers.local={name=\"local\",base_url=\"" + backend
                            + "codex\",requires_openai_auth=true}",
                    "-c",
                    "chatgpt_base_url=\"" + backend + "\"",
                    "hi");
            command.directory(Files.createDirectories(dir.resolve("work")).toFile());
            command.environment().clear();
            command.environment().putAll(cliEnvironment(home, api));
            command.environment().put("CODEX_HOME", home.resolve(".codex").toString());
            FakeBroker.Request call = firstCallWith(command, api, access);
            assertThat(call.path()).startsWith("/backend-api/");
        }
    }
}
