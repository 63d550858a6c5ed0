package io.authrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a client sends to any endpoint (nulls, wrong types, empty and huge strings, Unicode and control characters,
 * missing and unknown fields, bytes that are not JSON, odd path and query parameters), the answer is a 2xx or a 4xx
 * with a stable error code, never a 5xx from the daemon itself.
 */
class ApiInputPropertyTest {
    /** Each endpoint that takes a JSON body, and the fields it knows. */
    private static final Map<String, List<String>> BODIES = Map.of(
            "POST /v1/providers",
                    List.of(
                            "name",
                            "type",
                            "host",
                            "username",
                            "client_id",
                            "base_url",
                            "issuer",
                            "scopes",
                            "device_endpoint",
                            "token_endpoint"),
            "PUT /v1/credentials/target", List.of("secret"),
            "POST /v1/logins", List.of("provider", "scopes"),
            "POST /v1/workspaces", List.of("name", "grants", "allow_exec", "ttl"),
            "POST /v1/workspaces/existing/rotate", List.of("ttl"),
            "POST /v1/vend", List.of("protocol", "host", "path", "username", "wwwauth", "provider"),
            "POST /v1/vend/reject", List.of("protocol", "host", "path", "username", "wwwauth", "provider"));

    /** Values that look like what each field expects, mixed into the random ones. */
    private static final List<String> PLAUSIBLE = List.of(
            "static",
            "github",
            "oidc-device",
            "target",
            "existing",
            "git.example.test",
            "https",
            "http",
            "git.example.test:443",
            "team/repo.git",
            "../x",
            "1h",
            "never",
            "0",
            "https://127.0.0.1:1",
            "target=git.example.test/team/*",
            "target=evil.example",
            "g\u0131thub.com",
            "x@git.example.test");

    private static TestBroker daemon;
    private static String workspaceToken;

    @BeforeContainer
    static void start() throws Exception {
        daemon = TestBroker.inProcess().open();
        daemon.addStaticProvider("target", "git.example.test", "initial-secret");
        workspaceToken = TestBroker.expect(
                        201, daemon.send("POST", "/v1/workspaces", "{\"name\":\"existing\",\"grants\":[\"target\"]}"))
                .json()
                .path("token")
                .asString();
    }

    @AfterContainer
    static void stop() throws Exception {
        daemon.close();
        // The daemon ran in this JVM and registered every "secret" it was sent with the one redactor the JVM has;
        // these values are hosts and paths that later tests expect to read in logs and audit rows.
        PLAUSIBLE.forEach(SecretRedactor::forget);
    }

    @Property(tries = 1500)
    void everyJsonBodyGetsA2xxOrA4xx(
            @ForAll("endpoints") String endpoint, @ForAll("bodies") Map<String, String> fields) {
        String[] methodAndPath = endpoint.split(" ");
        String token = methodAndPath[1].startsWith("/v1/vend") ? workspaceToken : daemon.adminToken();
        assertClientOutcome(daemon.send(methodAndPath[0], methodAndPath[1], object(endpoint, fields), token));
    }

    @Property(tries = 300)
    void bytesThatAreNotAJsonObjectGetA4xx(@ForAll("endpoints") String endpoint, @ForAll("garbage") String body) {
        String[] methodAndPath = endpoint.split(" ");
        String token = methodAndPath[1].startsWith("/v1/vend") ? workspaceToken : daemon.adminToken();
        assertClientOutcome(daemon.send(methodAndPath[0], methodAndPath[1], body, token));
    }

    @Property(tries = 400)
    void oddPathAndQueryParametersGetA4xx(@ForAll("pathRequests") String request) {
        String[] methodAndPath = request.split(" ", 2);
        assertClientOutcome(daemon.sendRaw(methodAndPath[0], methodAndPath[1], daemon.adminToken()));
    }

    @Property(tries = 300)
    void gitsFormatGetsA2xxOrA4xx(@ForAll("gitBodies") String body) {
        assertClientOutcome(daemon.sendGitFormat("/v1/vend", body, workspaceToken));
    }

    private static void assertClientOutcome(Reply reply) {
        boolean providerDown = reply.status() == 503 && "provider_unavailable".equals(reply.errorCode());
        assertThat(reply.status() < 500 || providerDown).as(reply.toString()).isTrue();
        assertThat(reply.status()).as(reply.toString()).isGreaterThanOrEqualTo(200);
        if (reply.status() >= 400) {
            assertThat(reply.errorCode()).as(reply.toString()).isNotNull().matches("[a-z_]+");
        }
    }

    /** The fields chosen for this endpoint (others are dropped, so most bodies use its real field names). */
    private static String object(String endpoint, Map<String, String> fields) {
        List<String> known = BODIES.get(endpoint);
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            boolean keep = known.contains(name) || name.equals("unknown_field");
            if (!keep) return;
            if (json.length() > 1) json.append(',');
            json.append('"').append(name).append("\":").append(value);
        });
        return json.append('}').toString();
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of(BODIES.keySet());
    }

    @Provide
    Arbitrary<Map<String, String>> bodies() {
        Arbitrary<String> name = Arbitraries.of(BODIES.values().stream()
                        .flatMap(List::stream)
                        .distinct()
                        .toList())
                .injectDuplicates(0.0);
        Arbitrary<String> nameOrUnknown = Arbitraries.oneOf(name, name, name, Arbitraries.just("unknown_field"));
        return Arbitraries.maps(nameOrUnknown, jsonValues()).ofMaxSize(8);
    }

    private static Arbitrary<String> jsonValues() {
        Arbitrary<String> plausible = Arbitraries.of(PLAUSIBLE);
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "null",
                        "true",
                        "false",
                        "0",
                        "-1",
                        "1.5e308",
                        "[]",
                        "{}",
                        "[null]",
                        "[1]",
                        "[\"target\",null]",
                        "{\"x\":null}",
                        "\"\""),
                plausible.map(ApiInputPropertyTest::quote),
                plausible
                        .list()
                        .ofMaxSize(3)
                        .map(l -> "["
                                + String.join(
                                        ",",
                                        l.stream()
                                                .map(ApiInputPropertyTest::quote)
                                                .toList()) + "]"),
                Arbitraries.strings().all().ofMaxLength(40).map(ApiInputPropertyTest::quote),
                Arbitraries.of(20_000, 60_000).map(n -> quote("a".repeat(n))));
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.of(
                        "",
                        "null",
                        "[]",
                        "[1,2]",
                        "\"text\"",
                        "{",
                        "{\"name\":",
                        "{}}",
                        "{\"a\":1} trailing",
                        "\u0000"));
    }

    @Provide
    Arbitrary<String> pathRequests() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings()
                        .all()
                        .ofMinLength(1)
                        .ofMaxLength(80)
                        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)),
                Arbitraries.of("%00", "..", "%2e%2e", "%2F", "a%ZZ", "x".repeat(5000), "ls_", "target"));
        Arbitrary<String> template = Arbitraries.of(
                "GET /v1/providers/",
                "GET /v1/workspaces/",
                "GET /v1/diagnose/",
                "GET /v1/logins/",
                "POST /v1/logins/%s/cancel",
                "DELETE /v1/credentials/",
                "POST /v1/workspaces/%s/revoke",
                "GET /v1/audit?since=",
                "GET /v1/audit?limit=",
                "GET /v1/logins?provider=");
        return Combinators.combine(template, segment).as((t, s) -> t.contains("%s") ? t.formatted(s) : t + s);
    }

    @Provide
    Arbitrary<String> gitBodies() {
        Arbitrary<String> key =
                Arbitraries.of("protocol", "host", "path", "username", "url", "wwwauth[]", "capability[]", "", "=");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60).map(s -> s.replace("\n", "")),
                Arbitraries.of("https", "git.example.test", "team/repo.git", "https://git.example.test/team/x", "%00"));
        return Combinators.combine(key, value)
                .as((k, v) -> k + "=" + v)
                .list()
                .ofMaxSize(6)
                .map(lines -> String.join("\n", lines) + "\n\n");
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
