package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.client.FakeBroker.Answer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /v1/deliver} on the wire, and every entry a client must refuse whatever the broker says. */
class DeliveryTest {
    private static final String TOKEN = "arw_" + "d".repeat(40);

    private static WorkspaceClient client(FakeBroker broker) {
        return new WorkspaceClient(new BrokerClient(
                BrokerConfig.of(broker.url(), TOKEN).withTimeoutMillis(3_000),
                RetryClassifier.singleAttempt(),
                null,
                null));
    }

    private static Delivery deliver(Answer answer) throws Exception {
        try (FakeBroker broker = FakeBroker.always(answer)) {
            return client(broker).deliver("claude");
        }
    }

    @Test
    void theAnswerIsReadAsSentWithTheWorkspaceToken() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-access");
        env.put("GOOGLE_GENAI_USE_GCA", "true");
        Instant expiry = Instant.parse("2026-11-28T20:00:00Z");
        String content = "{\"claudeAiOauth\":{\"accessToken\":\"sk-ant-oat01-access\"}}\n";
        try (FakeBroker broker = FakeBroker.always(
                Deliveries.ok("claude", expiry, env, ".claude/.credentials.json", content, "․․/x", "a"))) {
            Delivery delivery = client(broker).deliver("claude");

            assertThat(delivery.provider()).isEqualTo("claude");
            assertThat(delivery.driver()).isEqualTo("claude-code");
            assertThat(delivery.credential()).isEqualTo("oauth");
            assertThat(delivery.expiresAt()).isEqualTo(expiry);
            assertThat(delivery.env())
                    .containsExactly(
                            Map.entry("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-access"),
                            Map.entry("GOOGLE_GENAI_USE_GCA", "true"));
            assertThat(delivery.files())
                    .containsExactly(
                            new Delivery.File(".claude/.credentials.json", content), new Delivery.File("․․/x", "a"));
            assertThat(delivery.toString()).doesNotContain("sk-ant-oat01-access");
            FakeBroker.Request request = broker.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/deliver");
            assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(MiniJson.parseObject(request.body())).isEqualTo(Map.of("provider", "claude"));
        }
    }

    @Test
    void noExpiryAndNoFilesAreFine() throws Exception {
        Delivery delivery = deliver(Deliveries.ok("claude", null, Map.of("CODEX_API_KEY", "k")));
        assertThat(delivery.expiresAt()).isNull();
        assertThat(delivery.files()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "/etc/x",
                "a/../../x",
                "a/./b",
                ".",
                "..",
                "",
                "a//b",
                "a/",
                "/",
                "a\\b",
                "..\\x",
                "a\u0000b",
                "a\nb",
                "a\rb",
                "a\u007fb",
                "a\u0085b",
                "a\u2028b",
                "./a"
            })
    void aPathThatCouldLeaveTheHomeOrIsNotNormalRefusesTheWholeDelivery(String path) {
        Answer answer = Deliveries.ok(
                "claude", null, Map.of(), ".claude/ok.json", "fine", path, "{\"secret\":\"content-secret\"}");
        assertThatThrownBy(() -> deliver(answer))
                .isInstanceOf(BrokerException.class)
                .hasMessageStartingWith("authrelay: refusing what the broker delivered for claude: file path '")
                .hasMessageNotContaining("content-secret")
                .satisfies(e -> assertThat(((BrokerException) e).error()).isNull())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u0000"));
    }

    @Test
    void theReasonIsNamed() {
        assertThat(DeliveryPath.problem("../x")).isEqualTo("leaves its directory (..)");
        assertThat(DeliveryPath.problem("/etc/x")).isEqualTo("is absolute");
        assertThat(DeliveryPath.problem("a\\b")).isEqualTo("contains a backslash");
        assertThat(DeliveryPath.problem("a/./b")).isEqualTo("has a '.' segment");
        assertThat(DeliveryPath.problem("a//b")).isEqualTo("has an empty segment");
        assertThat(DeliveryPath.problem("a\u0000b")).isEqualTo("contains a control character");
        assertThat(DeliveryPath.problem("")).isEqualTo("is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"․․/x", "․․", "..x/y", "x..", ".claude/.credentials.json", "a b/c", "…/x", "．．/x"})
    void lookalikesAndDotsInsideANameAreJustNames(String path) {
        assertThat(DeliveryPath.problem(path)).isNull();
    }

    @Test
    void twoFilesAtOnePathOrAFileWhereADirectoryIsNeededAreRefused() {
        assertThatThrownBy(() -> deliver(Deliveries.ok("claude", null, Map.of(), "a", "1", "a", "2")))
                .hasMessageEndingWith("file path 'a' comes twice");
        assertThatThrownBy(() -> deliver(Deliveries.ok("claude", null, Map.of(), "a/b", "1", "a", "2")))
                .hasMessageEndingWith("file path 'a' is also a directory of another");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1ABC",
                "A-B",
                "A B",
                "A=B",
                "",
                "LD_PRELOAD",
                "ld_preload",
                "PATH",
                "BASH_ENV",
                "NODE_OPTIONS",
                "AUTHRELAY_URL",
                "GIT_SSH_COMMAND",
                "DYLD_INSERT_LIBRARIES",
                "HOME",
                "PYTHONPATH"
            })
    void aVariableThatIsNotANameOrChangesHowProgramsRunIsRefused(String name) {
        assertThatThrownBy(() -> deliver(Deliveries.ok("claude", null, Map.of(name, "value-secret"))))
                .isInstanceOf(BrokerException.class)
                .hasMessageStartingWith("authrelay: refusing what the broker delivered for claude: ")
                .hasMessageNotContaining("value-secret");
    }

    @Test
    void malformedAnswersAreRefused() {
        assertThatThrownBy(() -> deliver(Answer.json(200, "<html>proxy</html>")))
                .hasMessageEndingWith("the answer is not a JSON object");
        assertThatThrownBy(() -> deliver(Deliveries.ok("codex", null, Map.of())))
                .hasMessageEndingWith("it is for another provider");
        assertThatThrownBy(() -> deliver(Answer.json(200, "{\"provider\":\"claude\",\"expires_at\":1700000000}")))
                .hasMessageEndingWith("expires_at is not a string");
        assertThatThrownBy(() -> deliver(Answer.json(200, "{\"provider\":\"claude\",\"expires_at\":\"tomorrow\"}")))
                .hasMessageEndingWith("expires_at is not an RFC 3339 UTC time");
        assertThatThrownBy(() -> deliver(Answer.json(200, "{\"provider\":\"claude\",\"env\":{\"A\":1}}")))
                .hasMessageEndingWith("the value of A is not a string");
        assertThatThrownBy(() -> deliver(Answer.json(
                        200,
                        "{\"provider\":\"claude\",\"files\":[{\"path\":\"a\",\"content\":\"x\",\"mode\":\"777\"}]}")))
                .hasMessageEndingWith("a file entry is not {\"path\":…,\"content\":…}");
        assertThatThrownBy(() -> deliver(Answer.json(200, "{\"provider\":\"claude\",\"files\":{}}")))
                .hasMessageEndingWith("files is not a list");
    }

    @Test
    void theBrokersRefusalKeepsItsCodeAndStatus() {
        assertThatThrownBy(() -> deliver(
                        Answer.error(409, "needs_reauth", "claude needs a new login", "run authrelay login claude")))
                .isInstanceOf(BrokerException.class)
                .hasMessage("authrelay: claude needs a new login: ask an admin to run authrelay login claude")
                .satisfies(e -> {
                    BrokerError error = ((BrokerException) e).error();
                    assertThat(error.status()).isEqualTo(409);
                    assertThat(error.code()).isEqualTo("needs_reauth");
                });
        assertThatThrownBy(() -> deliver(Answer.error(403, "not_granted", "no", null)))
                .hasMessage("authrelay: this workspace is not granted provider claude: ask an admin to add a grant");
    }

    @Test
    void deliveredSecretsAreMaskedInTheClientsOutput() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Deliveries.ok(
                "claude", null, Map.of("CLAUDE_CODE_OAUTH_TOKEN", "delivered-secret"), "f", "file-secret"))) {
            BrokerClient client = new BrokerClient(
                    BrokerConfig.of(broker.url(), TOKEN).withTimeoutMillis(3_000),
                    RetryClassifier.singleAttempt(),
                    null,
                    null);
            new WorkspaceClient(client).deliver("claude");
            assertThat(client.redactor().redact("x delivered-secret file-secret"))
                    .isEqualTo("x " + Redactor.MASK + " " + Redactor.MASK);
        }
    }
}
