package io.authrelay.server.http;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link VendHandler} answers a vend whose body has a declared length; Javalin's route answers the same vend sent
 * chunked. Both answers, success and every refusal after authentication, must be the same: status, body and headers
 * (but those that frame the body), and both are timed under the route's name.
 */
class VendHandlerParityTest {
    /** How the body is framed, and the date: the rest of an answer must not depend on which front wrote it. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "date");

    @RegisterExtension
    final TestBroker d = TestBroker.inProcess();

    private String token;
    private String secret;

    @BeforeEach
    void start() {
        secret = "secret-" + UUID.randomUUID();
        expect(
                201,
                d.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"gitea\",\"type\":\"static\",\"host\":\"a.git.test\",\"username\":\"bot\"}"));
        expect(200, d.send("PUT", "/v1/credentials/gitea", "{\"secret\":\"" + secret + "\"}"));
        expect(
                201,
                d.send("POST", "/v1/providers", "{\"name\":\"other\",\"type\":\"static\",\"host\":\"b.git.test\"}"));
        token = d.createWorkspace("ws", "gitea");
    }

    @Test
    void aJsonVendIsAnsweredAlikeByBothFronts() {
        Reply reply = same("application/json", null, "{\"protocol\":\"https\",\"host\":\"a.git.test\"}");
        expect(200, reply);
        assertThat(reply.body()).contains(secret);
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void aGitFormatVendIsAnsweredAlikeByBothFronts() {
        Reply reply = same("text/plain", "text/plain", "protocol=https\nhost=a.git.test\n\n");
        expect(200, reply);
        assertThat(reply.body()).startsWith("username=bot\npassword=" + secret + "\n");
    }

    @Test
    void everyRefusalAfterAuthenticationIsAnsweredAlikeByBothFronts() {
        String[][] refusals = {
            {"application/json", "{\"protocol\":\"https\",\"host\":\"b.git.test\"}"}, // not granted
            {"application/json", "{\"protocol\":\"https\",\"host\":\"nowhere.test\"}"}, // no provider
            {"application/json", "{\"protocol\":\"https\",\"host\":\"a.git.test\",\"color\":1}"}, // unknown field
            {"application/json", "{\"protocol\":\"https\",\"host\":"}, // not JSON
            {"application/json", "null"},
            {"application/json", ""},
            {"text/plain", "protocol=https\n"}, // git format without a host
            {null, "{\"protocol\":\"https\",\"host\":\"a.git.test\",\"password\":\"" + secret + "\"}"},
        };
        for (String[] refusal : refusals) {
            Reply reply = same(refusal[0], null, refusal[1]);
            assertThat(reply.status()).as(refusal[1]).isBetween(400, 499);
            assertThat(reply.errorCode()).as(refusal[1]).isNotNull();
            assertThat(reply.body()).doesNotContain(secret);
        }
    }

    @Test
    void refusalsOfTheCallerStayJavalins() {
        String vend = "{\"protocol\":\"https\",\"host\":\"a.git.test\"}";
        TestBroker.expectError(401, "missing_token", d.send("POST", "/v1/vend", vend, null));
        TestBroker.expectError(401, "invalid_token", d.send("POST", "/v1/vend", vend, token + "x"));
        TestBroker.expectError(403, "forbidden", d.send("POST", "/v1/vend", vend)); // the admin token
        TestBroker.expectError(
                403,
                "browser_request_refused",
                d.send(d.request("POST", "/v1/vend", vend, token)
                        .header("Content-Type", "application/json")
                        .header("Sec-Fetch-Site", "cross-site")));
        String audit = expect(200, d.send("GET", "/v1/audit", null)).body();
        assertThat(audit).contains("auth.failure").contains("auth.forbidden");
        expect(200, d.send("POST", "/v1/workspaces/ws/revoke", null));
        TestBroker.expectError(401, "workspace_revoked", d.send("POST", "/v1/vend", vend, token));
    }

    @Test
    void bothFrontsCountIntoTheRoutesTimer() {
        same("application/json", null, "{\"protocol\":\"https\",\"host\":\"a.git.test\"}");
        String metrics = expect(200, d.send("GET", "/metrics", null)).body();
        assertThat(metrics)
                .contains("authrelay_http_requests_seconds_count{method=\"POST\",route=\"/v1/vend\",status=\"200\"} 2");
    }

    /** Sends the vend with a declared length (the handler) and chunked (the route); asserts one answer; returns it. */
    private Reply same(String contentType, String accept, String body) {
        Reply declared = d.send(request(contentType, accept, HttpRequest.BodyPublishers.ofString(body)));
        Reply chunked = d.send(request(
                contentType,
                accept,
                // no length: the JDK client sends it chunked, which only Javalin's route serves
                HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))));
        assertThat(chunked.header("Transfer-Encoding")).isNull(); // an answer of known length either way
        assertThat(declared.status()).as(body).isEqualTo(chunked.status());
        assertThat(declared.body()).as(body).isEqualTo(chunked.body());
        assertThat(headers(declared)).as(body).isEqualTo(headers(chunked));
        return declared;
    }

    private HttpRequest.Builder request(String contentType, String accept, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = d.request("POST", "/v1/vend", null, token).POST(body);
        if (contentType != null) request.header("Content-Type", contentType);
        if (accept != null) request.header("Accept", accept);
        return request;
    }

    private static Map<String, Object> headers(Reply reply) {
        Map<String, Object> kept = new TreeMap<>();
        reply.headers().map().forEach((name, values) -> {
            if (!FRAMING.contains(name.toLowerCase(java.util.Locale.ROOT)))
                kept.put(name.toLowerCase(java.util.Locale.ROOT), values);
        });
        return kept;
    }
}
