package io.authrelay.server.http;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class HttpApiTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess();

    private static void assertError(Reply response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = response.json().path("error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    @Test
    void probesAndVersionArePublicEverythingElseNeedsTheAdminToken() {
        expect(200, d.send("GET", "/healthz", null, null));
        assertThat(expect(200, d.send("GET", "/readyz", null, null))
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("ready");
        assertThat(expect(200, d.send("GET", "/v1/version", null, null))
                        .json()
                        .path("api_version")
                        .asInt())
                .isEqualTo(1);

        assertError(d.send("GET", "/v1/status", null, null), 401, "missing_token");
        assertError(d.send("GET", "/metrics", null, null), 401, "missing_token");
        assertError(d.send("GET", "/v1/providers", null, "ara_wrong"), 401, "invalid_token");
        assertError(d.send("GET", "/v1/no-such-thing", null, null), 401, "missing_token");
        assertError(d.send("GET", "/v1/no-such-thing", null), 404, "not_found");
        assertThat(expect(200, d.send("GET", "/metrics", null)).body()).contains("authrelay_auth_failures_total");
    }

    @Test
    void authFailuresAreAuditedWithoutTheTokenTheyPresented() {
        String presented = "ara_" + UUID.randomUUID().toString().replace("-", "") + "presented";
        d.send("GET", "/v1/status", null, presented);
        String audit = expect(200, d.send("GET", "/v1/audit", null)).body();
        assertThat(audit).contains("auth.failure").contains("127.0.0.1").doesNotContain(presented);
    }

    @Test
    void repeatedWrongTokensEndIn429ButNeverLockOutAValidTokenAndTokenlessRequestsDoNotCount() {
        for (int i = 0; i < 30; i++) assertError(d.send("GET", "/v1/status", null, null), 401, "missing_token");
        assertThat(d.send("GET", "/v1/status", null, "ara_bad").status()).isEqualTo(401);
        int status = 0;
        for (int i = 0; i < 25 && status != 429; i++)
            status = d.send("GET", "/v1/status", null, "ara_bad" + i).status();
        assertThat(status).isEqualTo(429);
        Reply refused = d.send("GET", "/v1/status", null, "ara_bad_again");
        assertError(refused, 429, "too_many_auth_failures");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        expect(200, d.send("GET", "/v1/status", null));
    }

    @Test
    void providerLifecycleWithStableErrorCodes() {
        String body = "{\"name\":\"gh\",\"type\":\"static\",\"host\":\"github.com\",\"username\":\"x-access-token\"}";
        assertThat(expect(201, d.send("POST", "/v1/providers", body))
                        .json()
                        .path("created_at")
                        .asString())
                .isNotBlank();
        assertError(d.send("POST", "/v1/providers", body), 409, "provider_exists");
        assertError(
                d.send("POST", "/v1/providers", "{\"name\":\"Bad Name\",\"type\":\"static\",\"host\":\"h\"}"),
                400,
                "invalid_name");
        assertError(
                d.send("POST", "/v1/providers", "{\"name\":\"x\",\"type\":\"magic\",\"host\":\"h\"}"),
                400,
                "unknown_provider_type");
        assertError(
                d.send("POST", "/v1/providers", "{\"name\":\"x\",\"type\":\"static\",\"host\":\"a b\"}"),
                400,
                "invalid_host");
        assertThat(expect(200, d.send("GET", "/v1/providers", null)).json().path("providers"))
                .hasSize(1);
        assertThat(expect(200, d.send("DELETE", "/v1/providers/gh", null))
                        .json()
                        .path("message")
                        .asString())
                .isEqualTo("removed provider 'gh'");
        assertError(d.send("DELETE", "/v1/providers/gh", null), 404, "provider_not_found");
    }

    @Test
    void allowHttpIsStoredAndShownAndMustBeABoolean() {
        String local = "{\"name\":\"local\",\"type\":\"static\",\"host\":\"localhost:8080\"";
        assertThat(expect(201, d.send("POST", "/v1/providers", local + ",\"allow_http\":true}"))
                        .json()
                        .path("allow_http")
                        .asBoolean())
                .isTrue();
        assertThat(expect(200, d.send("GET", "/v1/providers/local", null))
                        .json()
                        .path("allow_http")
                        .asBoolean())
                .isTrue();
        String other = local.replace("local", "other");
        assertError(d.send("POST", "/v1/providers", other + ",\"allow_http\":null}"), 400, "invalid_field");
        assertError(d.send("POST", "/v1/providers", other + ",\"allow_http\":\"yes\"}"), 400, "invalid_field");
        assertThat(expect(201, d.send("POST", "/v1/providers", other + "}"))
                        .json()
                        .path("allow_http")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void malformedBodiesGet4xxNever500() {
        assertError(d.send("POST", "/v1/providers", "{not json"), 400, "invalid_json");
        assertError(d.send("POST", "/v1/providers", "[1,2]"), 400, "invalid_field");
        assertError(
                d.send("POST", "/v1/providers", "{\"name\":7,\"type\":\"static\",\"host\":\"h\"}"),
                400,
                "invalid_field");
        assertError(
                d.send("POST", "/v1/providers", "{\"name\":\"a\",\"type\":\"static\",\"host\":\"h\",\"colour\":1}"),
                400,
                "unknown_field");
        assertError(d.send("POST", "/v1/providers", ""), 400, "empty_body");
        assertError(d.send("POST", "/v1/providers", "{\"name\":\"a\"} trailing"), 400, "invalid_json");
        assertError(
                d.send("POST", "/v1/providers", "{\"name\":\"" + "a".repeat(70_000) + "\"}"), 413, "body_too_large");
    }

    @Test
    void aCanarySecretNeverAppearsInErrorBodies() {
        String canary = "Canary-" + UUID.randomUUID();
        d.addStaticProvider("gh", "git.example.test", canary);
        List<Reply> errors = List.of(
                d.send("PUT", "/v1/credentials/missing", "{\"secret\":\"" + canary + "\"}"),
                d.send("PUT", "/v1/credentials/gh", "{\"secret\":\"" + canary + "\",\"extra\":\"" + canary + "\"}"),
                d.send("PUT", "/v1/credentials/gh", "{\"secret\":[\"" + canary + "\"]}"),
                d.send("PUT", "/v1/credentials/gh", "{\"secret\":\"" + canary + "\""),
                d.send("POST", "/v1/providers", "{\"name\":\"" + canary + "\",\"type\":\"static\",\"host\":\"h\"}"),
                d.send("GET", "/v1/status", null, canary));
        for (Reply error : errors) {
            assertThat(error.status()).isBetween(400, 499);
            assertThat(error.body()).doesNotContain(canary);
        }
        assertThat(expect(200, d.send("GET", "/v1/credentials", null)).body()).doesNotContain(canary);
        assertThat(expect(200, d.send("GET", "/v1/audit", null)).body()).doesNotContain(canary);
    }

    @Test
    void keyRotationKeepsEverySecretReadableEvenUnderConcurrentWrites() throws Exception {
        int count = 40;
        for (int i = 0; i < count; i++) d.addStaticProvider("p" + i, "git.example.test", "secret-" + i + "-v1");
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i += 2) {
                int n = i;
                writes.add(pool.submit(() ->
                        expect(200, d.send("PUT", "/v1/credentials/p" + n, "{\"secret\":\"secret-" + n + "-v2\"}"))));
            }
            JsonNode rotated =
                    expect(200, d.send("POST", "/v1/keys/rotate", "{}")).json();
            for (Future<?> w : writes) w.get();
            long primary = rotated.path("primary_key_id").asLong();
            assertThat(rotated.path("keys")).hasSize(2);
            for (JsonNode usage :
                    expect(200, d.send("GET", "/v1/keys", null)).json().path("keys")) {
                // the credentials, the vault's canary and the key that signs codex's refresh tickets
                long expected = usage.path("key").path("id").asLong() == primary ? count + 2 : 0;
                assertThat(usage.path("secrets").asLong())
                        .as("secrets per key, canary and ticket key included")
                        .isEqualTo(expected);
            }
        }
        for (int i = 0; i < count; i++) {
            String token = expect(200, d.send("POST", "/v1/credentials/p" + i + "/token", "{}"))
                    .json()
                    .path("token")
                    .asString();
            assertThat(token).isEqualTo("secret-" + i + (i % 2 == 0 ? "-v2" : "-v1"));
        }
        d.restart();
        assertThat(expect(200, d.send("POST", "/v1/credentials/p1/token", "{}"))
                        .json()
                        .path("token")
                        .asString())
                .isEqualTo("secret-1-v1");
    }

    @Test
    void auditRecordsWritesReadsDeletesAndRotations() {
        d.addStaticProvider("gh", "git.example.test", "audited-secret-value");
        expect(200, d.send("POST", "/v1/credentials/gh/token", "{}"));
        expect(204, d.send("DELETE", "/v1/credentials/gh", null));
        expect(200, d.send("POST", "/v1/keys/rotate", "{}"));
        JsonNode events =
                expect(200, d.send("GET", "/v1/audit?since=1h", null)).json().path("events");
        assertThat(events.valueStream().map(e -> e.path("action").asString()).toList())
                .containsSubsequence(
                        "provider.add", "credential.write", "credential.read", "credential.delete", "keys.rotate");
        assertThat(events.get(0).path("actor").asString()).isEqualTo("admin");
        assertThat(events.get(0).path("origin").asString()).isEqualTo("127.0.0.1");
        assertError(d.send("GET", "/v1/audit?since=yesterday", null), 400, "invalid_since");
        assertError(d.send("GET", "/v1/audit?until=tomorrow", null), 400, "invalid_until");
    }
}
