package io.authrelay.client.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.client.MiniJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helper end to end against a fake broker, as git would drive it. */
class GitCredentialHelperTest {
    private static final String TOKEN = "arw_" + "w".repeat(40);
    private static final String SECRET = "ghs_0123456789abcdefghij";
    private static final String GITHUB_ASK =
            "protocol=https\nhost=github.com\npath=org/repo.git\nwwwauth[]=Basic realm=\"GitHub\"\n"
                    + "capability[]=authtype\n\n";

    record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = GitCredentialHelper.run(
                args,
                env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(FakeBroker broker) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/authrelay/client.conf");
        return env;
    }

    /** The helper's first request went to {@code path} with the workspace token and this JSON body. */
    private static void assertFirstRequest(FakeBroker broker, String path, Map<String, Object> body) {
        FakeBroker.Request request = broker.requests().get(0);
        assertThat(request.path()).isEqualTo(path);
        assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(MiniJson.parseObject(request.body())).isEqualTo(body);
    }

    @Test
    void getAnswersWithTheVendedCredential() throws Exception {
        String body = "{\"provider\":\"github\",\"username\":\"x-access-token\",\"password\":\"" + SECRET
                + "\",\"password_expiry_utc\":1767225600}";
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, body))) {
            Run run = run(env(broker), GITHUB_ASK, "get");
            assertThat(run.exit()).isZero();
            assertThat(run.out())
                    .isEqualTo("username=x-access-token\npassword=" + SECRET + "\npassword_expiry_utc=1767225600\n");
            assertThat(run.err()).isEmpty();
            assertFirstRequest(
                    broker,
                    "/v1/vend",
                    Map.of(
                            "protocol",
                            "https",
                            "host",
                            "github.com",
                            "path",
                            "org/repo.git",
                            "wwwauth",
                            List.of("Basic realm=\"GitHub\"")));
        }
    }

    @Test
    void expiryIsLeftOutWhenUnknown() throws Exception {
        String body =
                "{\"provider\":\"gitea\",\"username\":\"bot\",\"password\":\"pw-123456\",\"password_expiry_utc\":null}";
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, body))) {
            Run run = run(env(broker), "url=https://git.example.com/team/tool.git\n\n", "get");
            assertThat(run.out()).isEqualTo("username=bot\npassword=pw-123456\n");
            assertThat(MiniJson.parseObject(broker.requests().get(0).body()))
                    .containsEntry("host", "git.example.com")
                    .containsEntry("path", "team/tool.git");
        }
    }

    @Test
    void providerOptionIsSentToTheBroker() throws Exception {
        try (FakeBroker broker =
                FakeBroker.always(Answer.json(200, "{\"provider\":\"ghe\",\"username\":\"u\",\"password\":\"p\"}"))) {
            Run run = run(env(broker), GITHUB_ASK, "--provider", "ghe", "get");
            assertThat(run.out()).isEqualTo("username=u\npassword=p\n");
            assertThat(MiniJson.parseObject(broker.requests().get(0).body())).containsEntry("provider", "ghe");
        }
    }

    @Test
    void notOursPrintsNothingSoGitTriesTheNextHelper() throws Exception {
        try (FakeBroker broker =
                FakeBroker.always(Answer.error(404, "unknown_host", "no provider serves gitlab.com", null))) {
            Run run = run(env(broker), "protocol=https\nhost=gitlab.com\n\n", "get");
            assertThat(run).isEqualTo(new Run(0, "", ""));
            assertThat(broker.requests()).hasSize(1);
        }
    }

    @Test
    void revokedTokenQuitsWithOneLine() throws Exception {
        try (FakeBroker broker =
                FakeBroker.always(Answer.error(401, "workspace_revoked", "workspace ws1 was revoked", null))) {
            Run run = run(env(broker), GITHUB_ASK, "get");
            assertThat(run.exit()).isZero();
            assertThat(run.out()).isEqualTo("quit=1\n");
            assertThat(run.err()).isEqualTo("authrelay: workspace token revoked: ask an admin for a new one\n");
            assertThat(broker.requests()).hasSize(1); // a definitive no is not retried
        }
    }

    @Test
    void definitiveRefusalsQuitWithTheirMessage() throws Exception {
        Map<Answer, String> cases = Map.of(
                Answer.error(401, "workspace_expired", "expired", null),
                "authrelay: workspace token expired: ask an admin for a new one",
                Answer.error(403, "not_granted", "no grant", null),
                "authrelay: this workspace is not granted github.com/org/repo: ask an admin to add a grant",
                Answer.error(409, "needs_reauth", "provider github needs re-login", "run: authrelay login github"),
                "authrelay: github needs a new login: ask an admin to run authrelay login github");
        for (Map.Entry<Answer, String> c : cases.entrySet()) {
            try (FakeBroker broker = FakeBroker.always(c.getKey())) {
                Run run = run(env(broker), GITHUB_ASK, "get");
                assertThat(run).isEqualTo(new Run(0, "quit=1\n", c.getValue() + "\n"));
            }
        }
    }

    @Test
    void unavailableProviderQuitsAfterRetries() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.error(503, "provider_unavailable", "github is down", null))) {
            Map<String, String> env = env(broker);
            env.put("AUTHRELAY_TIMEOUT", "3");
            Run run = run(env, GITHUB_ASK, "get");
            assertThat(run.out()).isEqualTo("quit=1\n");
            assertThat(run.err()).isEqualTo("authrelay: provider unavailable: github is down: try again later\n");
            assertThat(broker.requests()).hasSize(3);
        }
    }

    @Test
    void unreachableBrokerQuitsInsteadOfLettingGitPrompt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + port, "AUTHRELAY_TOKEN", TOKEN);
        Run run = run(env, GITHUB_ASK, "get");
        assertThat(run)
                .isEqualTo(new Run(
                        0,
                        "quit=1\n",
                        "authrelay: broker unreachable at http://127.0.0.1:" + port + ": is the daemon running?\n"));
    }

    @Test
    void missingTokenQuitsWithAHint() {
        Map<String, String> env =
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:9", "AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        Run run = run(env, GITHUB_ASK, "get");
        assertThat(run)
                .isEqualTo(
                        new Run(
                                0,
                                "quit=1\n",
                                "authrelay: no workspace token: set AUTHRELAY_TOKEN or write token= in ~/.config/authrelay/client.conf\n"));
    }

    @Test
    void nonHttpOrHostlessRequestsAreIgnored() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(500, ""))) {
            assertThat(run(env(broker), "protocol=ssh\nhost=github.com\n\n", "get"))
                    .isEqualTo(new Run(0, "", ""));
            assertThat(run(env(broker), "protocol=https\n\n", "get")).isEqualTo(new Run(0, "", ""));
            assertThat(run(env(broker), "protocol=cert\npath=/etc/cert.p12\n\n", "get"))
                    .isEqualTo(new Run(0, "", ""));
            assertThat(broker.requests()).isEmpty();
        }
    }

    @Test
    void eraseReportsTheRejectedCredential() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, "{\"action\":\"noted\"}"))) {
            Run run = run(
                    env(broker),
                    "protocol=https\nhost=github.com\npath=org/repo.git\nusername=x-access-token\npassword=" + SECRET
                            + "\n\n",
                    "erase");
            assertThat(run).isEqualTo(new Run(0, "", ""));
            assertFirstRequest(
                    broker,
                    "/v1/vend/reject",
                    Map.of(
                            "protocol",
                            "https",
                            "host",
                            "github.com",
                            "path",
                            "org/repo.git",
                            "username",
                            "x-access-token"));
            assertThat(broker.requests().get(0).body()).doesNotContain(SECRET);
        }
    }

    @Test
    void eraseIsSilentWhenTheBrokerIsSlowOrFailing() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, "{}").delayed(10_000))) {
            // the report's short deadline, which keeps git from waiting on it, is BrokerClientRetryTest's to check
            Run run = run(env(broker), "protocol=https\nhost=github.com\n\n", "erase");
            assertThat(run).isEqualTo(new Run(0, "", ""));
            assertThat(broker.requests()).hasSize(1);
        }
    }

    @Test
    void storeAndUnknownOperationsDoNothing() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(500, ""))) {
            assertThat(run(env(broker), GITHUB_ASK, "store")).isEqualTo(new Run(0, "", ""));
            assertThat(run(env(broker), GITHUB_ASK, "capabilities")).isEqualTo(new Run(0, "", ""));
            assertThat(run(env(broker), "", "something-new")).isEqualTo(new Run(0, "", ""));
            assertThat(broker.requests()).isEmpty();
        }
    }

    @Test
    void malformedInputExitsWith2() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(500, ""))) {
            Run noEquals = run(env(broker), "protocol=https\nhost github.com\n\n", "get");
            assertThat(noEquals.exit()).isEqualTo(2);
            assertThat(noEquals.out()).isEmpty();
            assertThat(noEquals.err())
                    .isEqualTo("authrelay: malformed credential input: invalid input line 2: expected key=value\n");

            Run nul = run(env(broker), "protocol=https\nhost=git\0hub.com\n\n", "get");
            assertThat(nul.exit()).isEqualTo(2);
            assertThat(nul.err()).contains("NUL");

            Run huge = run(env(broker), "path=" + "x".repeat(70_000) + "\n\n", "get");
            assertThat(huge.exit()).isEqualTo(2);
            assertThat(huge.err()).contains("longer than 65536 bytes").hasLineCount(1);

            assertThat(run(env(broker), "protocol=https\nbad\n\n", "store").exit())
                    .isEqualTo(2);
            assertThat(broker.requests()).isEmpty();
        }
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run(Map.of(), "").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "", "--bogus", "get").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "", "get", "extra").exit()).isEqualTo(2);
    }

    @Test
    void aCredentialGitCannotCarryIsRefused() throws Exception {
        try (FakeBroker broker =
                FakeBroker.always(Answer.json(200, "{\"username\":\"u\",\"password\":\"p\\nquit=0\"}"))) {
            Run run = run(env(broker), GITHUB_ASK, "get");
            assertThat(run.out()).isEqualTo("quit=1\n");
            assertThat(run.err()).contains("cannot use");
        }
    }

    @Test
    void debugTracesAttemptsButNeverSecrets() throws Exception {
        String body = "{\"provider\":\"github\",\"username\":\"x-access-token\",\"password\":\"" + SECRET + "\"}";
        try (FakeBroker broker = new FakeBroker((i, r) -> i == 0 ? Answer.json(502, "") : Answer.json(200, body))) {
            Map<String, String> env = env(broker);
            env.put("AUTHRELAY_DEBUG", "1");
            Run run = run(env, GITHUB_ASK, "get");
            assertThat(run.out()).contains("password=" + SECRET);
            assertThat(run.err())
                    .contains("attempt 1/3: HTTP 502", "retry in", "attempt 2/3: HTTP 200", "done")
                    .doesNotContain(TOKEN)
                    .doesNotContain(SECRET);
        }
    }

    @Test
    void relayModeAnswersTheWorkspaceTokenForTheBrokersExactUrlAndNothingElse() {
        Map<String, String> env = Map.of(
                "AUTHRELAY_URL",
                "https://relay.example.test:7878",
                "AUTHRELAY_TOKEN",
                TOKEN,
                "AUTHRELAY_CONFIG",
                "/nonexistent/authrelay/client.conf");
        Run relay = run(env, "protocol=https\nhost=relay.example.test:7878\n\n", "--relay", "get");
        assertThat(relay.exit()).isZero();
        assertThat(relay.out()).isEqualTo("username=authrelay\npassword=" + TOKEN + "\n");
        for (String other : List.of(
                "protocol=https\nhost=relay.example.test\n\n",
                "protocol=http\nhost=relay.example.test:7878\n\n",
                "protocol=https\nhost=relay.example.test:78780\n\n",
                "protocol=https\nhost=relay.example.test.:7878\n\n",
                "protocol=https\nhost=github.com\n\n",
                "protocol=https\n\n")) {
            Run notTheRelay = run(env, other, "--relay", "get");
            assertThat(notTheRelay.out()).as(other).isEmpty();
            assertThat(notTheRelay.exit()).isZero();
        }
        assertThat(run(env, "protocol=https\nhost=relay.example.test:7878\n\n", "--relay", "erase")
                        .out())
                .isEmpty();
        Run noToken = run(
                Map.of("AUTHRELAY_URL", "https://relay.example.test:7878", "AUTHRELAY_CONFIG", "/nonexistent/c.conf"),
                "protocol=https\nhost=relay.example.test:7878\n\n",
                "--relay",
                "get");
        assertThat(noToken.out()).isEqualTo("quit=1\n");
        assertThat(noToken.err()).startsWith("authrelay: no workspace token");
    }
}
