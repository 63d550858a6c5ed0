package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecTest {
    private static final String TOKEN = "arw_" + "e".repeat(40);

    @TempDir
    Path dir;

    private static Map<String, String> env(FakeBroker broker) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_TIMEOUT", "3");
        return env;
    }

    private static FakeBroker tokensByProvider() throws Exception {
        return new FakeBroker((i, r) -> {
            String provider = MiniJson.string(MiniJson.parseObject(r.body()), "provider");
            return provider.equals("missing")
                    ? Answer.error(404, "unknown_host", "no such provider", null)
                    : Answer.json(
                            200,
                            "{\"provider\":\"" + provider + "\",\"kind\":\"" + kindOf(provider) + "\",\"host\":\""
                                    + hostOf(provider) + "\",\"username\":\"u\",\"password\":\"tok-" + provider
                                    + "\"}");
        });
    }

    /** Providers named for what they are: "work" is a GitHub provider for github.com, "ghes" one for an Enterprise host. */
    private static String kindOf(String provider) {
        return provider.startsWith("work") || provider.equals("ghes") ? "github" : "static";
    }

    private static String hostOf(String provider) {
        return provider.startsWith("work")
                ? "github.com"
                : provider.equals("ghes") ? "ghe.example.test" : "git.example.test";
    }

    @Test
    void theChildKeepsTheWayToTheBrokerUnlessIsolated() throws Exception {
        String script = "printf '%s|%s|%s|%s' \"${AUTHRELAY_TOKEN-unset}\" \"${AUTHRELAY_URL-unset}\""
                + " \"${AUTHRELAY_CONFIG-unset}\" \"$GH_TOKEN\" > \"$1\"";
        try (FakeBroker broker = tokensByProvider()) {
            Map<String, String> env = env(broker);
            env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
            for (boolean isolate : new boolean[] {false, true}) {
                Path out = dir.resolve("env-" + isolate + ".txt");
                int exit = Exec.run(
                        List.of("work"),
                        Map.of(),
                        List.of("sh", "-c", script, "sh", out.toString()),
                        env,
                        isolate,
                        false,
                        System.err);
                assertThat(exit).isZero();
                assertThat(Files.readString(out))
                        .isEqualTo(
                                isolate
                                        ? "unset|unset|unset|tok-work"
                                        : TOKEN + "|" + broker.url() + "|/nonexistent/client.conf|tok-work");
            }
        }
    }

    @Test
    void tokensGoIntoTheEnvironmentNeverArgv() throws Exception {
        Path out = dir.resolve("env.txt");
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Exec.run(
                    List.of("work", "gitea", "ci"),
                    Map.of("ci", "CI_TOKEN"),
                    List.of(
                            "sh",
                            "-c",
                            "printf '%s|%s|%s|%s' \"$GH_TOKEN\" \"$GITHUB_TOKEN\" \"$AUTHRELAY_TOKEN_GITEA\" \"$CI_TOKEN\" > \"$1\"; exit 7",
                            "sh",
                            out.toString()),
                    env(broker),
                    false,
                    false,
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(7);
            assertThat(Files.readString(out)).isEqualTo("tok-work|tok-work|tok-gitea|tok-ci");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(broker.requests())
                    .extracting(r -> MiniJson.parseObject(r.body()))
                    .containsExactly(Map.of("provider", "work"), Map.of("provider", "gitea"), Map.of("provider", "ci"));
        }
    }

    @Test
    void variablesFollowTheKindOfCredentialNotTheProvidersName() {
        VendResult.Granted dotCom = new VendResult.Granted("work", "github", "github.com", "x", "t1", null);
        VendResult.Granted enterprise = new VendResult.Granted("github", "github", "ghe.example.test", "x", "t2", null);
        VendResult.Granted other = new VendResult.Granted("github-ish", "static", "git.example.test", "x", "t3", null);
        assertThat(ExecVariables.forCredential("work", null, dotCom))
                .containsExactly(Map.entry("GH_TOKEN", "t1"), Map.entry("GITHUB_TOKEN", "t1"));
        assertThat(ExecVariables.forCredential("github", null, enterprise))
                .containsExactly(
                        Map.entry("GH_ENTERPRISE_TOKEN", "t2"),
                        Map.entry("GITHUB_ENTERPRISE_TOKEN", "t2"),
                        Map.entry("GH_HOST", "ghe.example.test"));
        assertThat(ExecVariables.forCredential("my.gitea-1", null, other))
                .containsExactly(Map.entry("AUTHRELAY_TOKEN_MY_GITEA_1", "t3"));
        assertThat(ExecVariables.forCredential("github-ish", null, other))
                .containsOnlyKeys("AUTHRELAY_TOKEN_GITHUB_ISH");
        assertThat(ExecVariables.forCredential("work", "A, B", dotCom))
                .containsExactly(Map.entry("A", "t1"), Map.entry("B", "t1"));
    }

    @Test
    void aGitHubEnterpriseTokenTellsGhWhichHost() throws Exception {
        Path out = dir.resolve("ghes.txt");
        try (FakeBroker broker = tokensByProvider()) {
            int exit = Exec.run(
                    List.of("ghes"),
                    Map.of(),
                    List.of(
                            "sh",
                            "-c",
                            "printf '%s|%s|%s' \"$GH_ENTERPRISE_TOKEN\" \"$GH_HOST\" \"${GH_TOKEN:-none}\" > \"$1\"",
                            "sh",
                            out.toString()),
                    env(broker),
                    false,
                    false,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(exit).isZero();
            assertThat(Files.readString(out)).isEqualTo("tok-ghes|ghe.example.test|none");
        }
    }

    @Test
    void commandNotFoundIs127AndVendFailureIs125() throws Exception {
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertThat(Exec.run(
                            List.of("github"),
                            Map.of(),
                            List.of("/nonexistent/definitely-not-here"),
                            env(broker),
                            false,
                            false,
                            errStream))
                    .isEqualTo(127);
            assertThat(Exec.run(List.of("missing"), Map.of(), List.of("true"), env(broker), false, false, errStream))
                    .isEqualTo(125);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("command not found")
                    .contains("authrelay: the broker has no provider named missing");
        }
        try (FakeBroker broker = FakeBroker.always(Answer.error(401, "workspace_revoked", "revoked", null))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Exec.run(
                            List.of("github"),
                            Map.of(),
                            List.of("true"),
                            env(broker),
                            false,
                            false,
                            new PrintStream(err, true, StandardCharsets.UTF_8)))
                    .isEqualTo(125);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo("authrelay: workspace token revoked: ask an admin for a new one\n");
        }
    }

    @Test
    void collidingVariablesAreRefusedAndNothingRuns() throws Exception {
        Path ran = dir.resolve("ran");
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Exec.run(
                    List.of("work", "work2"),
                    Map.of(),
                    List.of("touch", ran.toString()),
                    env(broker),
                    false,
                    false,
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("would both set GH_TOKEN");
            assertThat(ran).doesNotExist();
        }
    }

    @Test
    void aBadVariableNameIsRefusedBeforeVending() throws Exception {
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Exec.run(
                    List.of("work"),
                    Map.of("work", "1BAD"),
                    List.of("true"),
                    env(broker),
                    false,
                    false,
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("'1BAD' is not a valid environment variable name");
            assertThat(broker.requests()).isEmpty();
        }
    }

    private static final String ACCESS = "sk-ant-oat01-" + "a".repeat(30);

    /** A broker whose "claude" is an AI CLI's login: vend says cli-login, deliver renders the CLI's variables. */
    private static FakeBroker cliLogin(Answer delivery) throws Exception {
        return new FakeBroker((i, r) -> r.path().equals("/v1/deliver")
                ? delivery
                : Answer.json(
                        200,
                        "{\"provider\":\"claude\",\"kind\":\"cli-login\",\"host\":\"api.anthropic.com\","
                                + "\"username\":\"x\",\"password\":\"" + ACCESS + "\"}"));
    }

    private static Map<String, String> environOf(Path file) throws Exception {
        Map<String, String> vars = new HashMap<>();
        for (String entry : Files.readString(file).split("\u0000")) {
            int eq = entry.indexOf('=');
            if (eq > 0) vars.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return vars;
    }

    @Test
    void anAiClisLoginGivesTheChildExactlyTheDeliveredVariablesAndNoTokenInArgv() throws Exception {
        Path environ = dir.resolve("environ");
        Path cmdline = dir.resolve("cmdline");
        Map<String, String> delivered = new java.util.LinkedHashMap<>();
        delivered.put("CLAUDE_CODE_OAUTH_TOKEN", ACCESS);
        delivered.put("GOOGLE_GENAI_USE_GCA", "true");
        try (FakeBroker broker = cliLogin(
                Deliveries.ok("claude", null, delivered, ".claude/.credentials.json", "{\"t\":\"" + ACCESS + "\"}"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Map<String, String> env = env(broker);
            env.put("GOOGLE_GENAI_USE_GCA", "false"); // delivered values win over inherited ones
            int exit = Exec.run(
                    List.of("claude"),
                    Map.of(),
                    List.of(
                            "sh",
                            "-c",
                            "cat /proc/$$/environ > \"$1\"; cat /proc/$$/cmdline > \"$2\"",
                            "sh",
                            environ.toString(),
                            cmdline.toString()),
                    env,
                    false,
                    false,
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(exit).isZero();
            Map<String, String> expected = new HashMap<>(env);
            expected.putAll(delivered);
            assertThat(environOf(environ)).isEqualTo(expected);
            assertThat(Files.readString(cmdline)).doesNotContain(ACCESS);
            assertThat(broker.requests())
                    .extracting(FakeBroker.Request::path)
                    .containsExactly("/v1/vend", "/v1/deliver");
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo("authrelay: exec: claude also comes as files (.claude/.credentials.json) that exec does"
                            + " not write: use authrelay materialize claude --home DIR\n");
        }
    }

    @Test
    void anAiClisLoginThatCannotBeDeliveredRunsNothing() throws Exception {
        Path ran = dir.resolve("ran");
        for (Answer refusal : List.of(
                Answer.error(409, "needs_reauth", "claude needs a new login", null),
                Deliveries.ok("claude", null, Map.of("LD_PRELOAD", "/tmp/evil.so")))) {
            try (FakeBroker broker = cliLogin(refusal)) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int exit = Exec.run(
                        List.of("claude"),
                        Map.of(),
                        List.of("touch", ran.toString()),
                        env(broker),
                        false,
                        false,
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                assertThat(exit).isEqualTo(Exec.EXIT_VEND_FAILED);
                assertThat(err.toString(StandardCharsets.UTF_8))
                        .startsWith("authrelay: ")
                        .endsWith("\n")
                        .hasLineCount(1);
                assertThat(ran).doesNotExist();
            }
        }
    }

    @Test
    void anExplicitNameForAnAiClisLoginGetsItsAccessTokenWithoutADelivery() throws Exception {
        Path out = dir.resolve("out");
        try (FakeBroker broker = cliLogin(Answer.error(500, "boom", "must not be asked", null))) {
            int exit = Exec.run(
                    List.of("claude"),
                    Map.of("claude", "MY_TOKEN"),
                    List.of("sh", "-c", "printf %s \"$MY_TOKEN\" > \"$1\"", "sh", out.toString()),
                    env(broker),
                    true,
                    false,
                    System.err);
            assertThat(exit).isZero();
            assertThat(Files.readString(out)).isEqualTo(ACCESS);
            assertThat(broker.requests()).extracting(FakeBroker.Request::path).containsExactly("/v1/vend");
        }
    }
}
