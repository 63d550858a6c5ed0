package io.authrelay.server.clilogin;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attacks on AI-CLI logins through the daemon's API, with a fake CLI in a PTY (like gemini's paste login) that records
 * every line typed into it and the environment it was given, outside its run home (which is wiped).
 */
class CliLoginAttackTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A code is {@code TOKEN#st4te} or {@code TOKEN#st4te#ACCOUNT}; it becomes access-TOKEN of ACCOUNT, by default
     * the hex of the line the CLI read, so a test sees exactly what was typed. The run is sandboxed where bwrap works
     * (nothing outside its directory writable), so what the CLI saw comes back through its output and its account.
     */
    private static final String FAKE_CLI = """
            #!/bin/sh
            if [ "${2:-}" = --with-api-key ]; then
              IFS= read -r key
              echo "API key saved: $key"
              mkdir -p "$HOME/.fake"
              printf '{"key":"%%s"}' "$key" > "$HOME/.fake/key.json"
              exit 0
            fi
            echo "ENV: $(env | cut -d= -f1 | sort | tr '\\n' ' ')"
            [ -r "%1$s/admin.token" ] && echo "LEAK: the daemon's admin.token is readable"
            echo "Visit: https://vendor.test/oauth/authorize?client_id=fake&state=st4te"
            printf 'Paste code here > '
            IFS= read -r code
            case "$code" in
              *'#st4te'*) ;;
              *) echo "Login failed: Invalid code"; exit 1 ;;
            esac
            account=$(printf '%%s' "$code" | od -An -tx1 | tr -d ' \\n')
            case "$code" in *'#st4te#'*) account="${code##*#}" ;; esac
            mkdir -p "$HOME/.fake"
            printf '{"access":"access-%%s","refresh":"refresh-%%s","expires":%%s,"account":"%%s"}' \\
              "${code%%%%#*}" "${code%%%%#*}" "$(( $(date +%%s) + 3600 ))" "$account" > "$HOME/.fake/creds.json"
            echo "Login successful."
            """;

    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess().withProvidersYaml(unused -> providersYaml());

    private String providersYaml() {
        Path script = tempDir("fake-cli").resolve("fake-cli");
        try {
            Files.writeString(script, FAKE_CLI.formatted(broker.home()));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return """
                drivers:
                  fake-cli:
                    host: api.fake.test
                    command: %s
                    default_mode: paste
                    modes:
                      paste:
                        args: [login]
                        pty: true
                        input: paste
                        patterns:
                          url: '(https://vendor\\.test/\\S+)'
                          input_prompt: 'Paste code here'
                          success: 'Login successful'
                          failure: 'Login failed.*'
                        timeout: 1m
                      api-key:
                        args: [login, --with-api-key]
                        input: api_key
                        patterns:
                          success: 'API key saved'
                        timeout: 1m
                      device:
                        args: [login]
                        input: none
                        patterns:
                          url: '(https://vendor\\.test/\\S+)'
                          success: 'Login successful'
                        timeout: 1m
                    capture:
                      oauth:
                        file: .fake/creds.json
                        access_token: /access
                        refresh_token: /refresh
                        expires_at: /expires
                        expires_at_format: epoch_s
                        account: /account
                      api_key:
                        file: .fake/key.json
                        access_token: /key
                    refresh:
                      token_endpoint: http://127.0.0.1:9/token
                      client_id: fake
                      body_format: json
                    delivery:
                      oauth:
                        env:
                          FAKE_TOKEN: '{{access_token}}'
                          FAKE_TICKET: '{{refresh_ticket}}'
                          FAKE_REFRESH_URL: '{{refresh_url}}'
                        files:
                          - path: .fake/creds.json
                            content: '{"access":"{{access_token}}","account":"{{account}}"}'
                      api_key:
                        env:
                          FAKE_KEY: '{{access_token}}'
                providers:
                  - name: fake
                    type: fake-cli
                """.formatted(script);
    }

    // ------------------------------------------------------------------ login input

    @Test
    void inputWithControlCharactersIsRefusedAndNeverTyped() {
        String session = startAndAwaitUrl("fake").path("session").asString();
        // ^C would interrupt the CLI, ^U erase what it has, ESC [ B move a TUI's selection, NUL cut a C string,
        // a newline or CR enter a second line: a pasted value is one line of text, nothing more.
        for (String evil : List.of(
                "x#st4te\u0003",
                "\u0015x#st4te",
                "x#st4te\u001b[B",
                "x\u0000#st4te",
                "x#st4te\nsecond",
                "x#st4te\r",
                "x#st4te\u007f",
                "x#st4te\u009b2J",
                "x#st4te\u2028y")) {
            Reply reply = broker.send("POST", "/v1/logins/" + session + "/input", inputBody(evil, false));
            expectError(400, "input_not_one_line", reply);
            assertThat(reply.body()).doesNotContain("st4te");
        }
        assertOnlyThisWasTyped(session, "g00d#st4te");
    }

    @Test
    void onlyTheAdminMayTypeIntoALoginOrConfirmAnAccount() {
        String session = startAndAwaitUrl("fake").path("session").asString();
        String reader = broker.createApiToken("reader", "read");
        broker.addStaticProvider("forge", "git.example.com", "static-secret");
        String workspace = broker.createWorkspace("agent", "fake");
        for (String token : List.of(reader, workspace)) {
            expect(403, broker.send("POST", "/v1/logins/" + session + "/input", inputBody("x#st4te", false), token));
            expect(403, broker.send("POST", "/v1/credentials/fake/confirm-account", "{}", token));
            expect(403, broker.send("POST", "/v1/logins/" + session + "/cancel", "{}", token));
        }
        expect(401, broker.send("POST", "/v1/logins/" + session + "/input", inputBody("x#st4te", false), null));
        // while the login runs, its URL (with the state a pasted answer must match) is for admins only
        for (String path : List.of("/v1/logins/" + session, "/v1/diagnose/" + session, "/v1/status")) {
            assertThat(expect(200, broker.send("GET", path, null, reader)).body())
                    .as(path)
                    .doesNotContain("st4te");
        }
        assertOnlyThisWasTyped(session, "adm1n#st4te");
    }

    @Test
    void inputToALoginThatTakesNoneIsRefusedAndAnUnknownFieldIsNotIgnored() {
        String session =
                startAndAwaitUrl("fake", "device", false).path("session").asString();
        expectError(
                400,
                "input_refused",
                broker.send("POST", "/v1/logins/" + session + "/input", inputBody("x#st4te", false)));
        expect(
                400,
                broker.send("POST", "/v1/logins/" + session + "/input", "{\"input\":\"x#st4te\",\"fromAgent\":false}"));
        expectError(
                404, "login_not_found", broker.send("POST", "/v1/logins/ls_nope/input", inputBody("x#st4te", false)));
    }

    @Test
    void anotherAccountIsHeldBackUntilConfirmedAndNothingIsDeliveredMeanwhile() {
        connect("one#st4te#alice@example.com");
        String workspace = broker.createWorkspace("agent", "fake");
        JsonNode first = deliver(workspace);
        assertThat(first.path("env").path("FAKE_TOKEN").asString()).isEqualTo("access-one");
        String ticket = first.path("env").path("FAKE_TICKET").asString();

        expectError(409, "already_connected", broker.send("POST", "/v1/logins", "{\"provider\":\"fake\"}"));
        String session = startAndAwaitUrl("fake", null, true).path("session").asString();
        expect(
                200,
                broker.send(
                        "POST", "/v1/logins/" + session + "/input", inputBody("two#st4te#mallory@example.com", false)));
        broker.awaitLoginEnd(session, Duration.ofSeconds(30));

        JsonNode credentials =
                expect(200, broker.send("GET", "/v1/credentials", null)).json();
        assertThat(credentials.toString()).contains("unconfirmed_account").doesNotContain("access-two");
        Reply held = broker.send("POST", "/v1/deliver", "{\"provider\":\"fake\"}", workspace);
        assertThat(held.status()).isBetween(400, 499);
        assertThat(held.body()).doesNotContain("access-two").doesNotContain("access-one");
        Reply vended = broker.send("POST", "/v1/vend", "{\"provider\":\"fake\"}", workspace);
        assertThat(vended.status()).isBetween(400, 499);
        assertThat(vended.body()).doesNotContain("access-two");
        Reply refreshed = broker.send("POST", "/v1/deliver/token", tokenBody(ticket), null);
        assertThat(refreshed.status()).isBetween(400, 499);
        assertThat(refreshed.body()).doesNotContain("access-two").doesNotContain("access-one");

        expect(200, broker.send("POST", "/v1/credentials/fake/confirm-account", "{}"));
        assertThat(deliver(workspace).path("env").path("FAKE_TOKEN").asString()).isEqualTo("access-two");
        expectError(409, "nothing_to_confirm", broker.send("POST", "/v1/credentials/fake/confirm-account", "{}"));
    }

    @Test
    void aSessionIdWithDotSegmentsReachesNoOtherRoute() {
        connect("one#st4te#alice@example.com");
        String session = startAndAwaitUrl("fake", null, true).path("session").asString();
        expect(
                200,
                broker.send("POST", "/v1/logins/" + session + "/input", inputBody("two#st4te#bob@example.com", false)));
        broker.awaitLoginEnd(session, Duration.ofSeconds(30));
        // what a caller that pastes a session id into a path without checking it would send
        for (String target : List.of(
                "/v1/logins/../credentials/fake/confirm-account?x=/input",
                "/v1/logins/%2e%2e/credentials/fake/confirm-account?x=/input",
                "/v1/logins/..%2fcredentials%2ffake%2fconfirm-account?x=/input")) {
            Reply reply = broker.sendRaw("POST", target, broker.adminToken());
            assertThat(reply.status()).as(target).isNotEqualTo(200);
        }
        JsonNode credentials =
                expect(200, broker.send("GET", "/v1/credentials", null)).json();
        assertThat(credentials.toString()).contains("unconfirmed_account");
    }

    @Test
    void theCliGetsNoneOfTheDaemonsEnvironmentAndNoSecretReachesLogOrDiagnose() {
        String session = startAndAwaitUrl("fake").path("session").asString();
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", inputBody("s3cr3tc0de#st4te", false)));
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");

        String diagnosed =
                expect(200, broker.send("GET", "/v1/diagnose/" + session, null)).body();
        String envLine = diagnosed.substring(diagnosed.indexOf("ENV: ") + 5);
        Set<String> names =
                Set.of(envLine.substring(0, envLine.indexOf("\\n")).strip().split(" "));
        assertThat(names)
                .as("only the allow-listed variables, the run's own and what sh sets itself")
                .contains("HOME")
                .isSubsetOf("PATH", "LANG", "LC_ALL", "TERM", "TZ", "HOME", "BROWSER", "PWD", "SHLVL", "_", "OLDPWD");
        if (!diagnosed.contains("not sandboxed") && !diagnosed.contains("\"sandbox\""))
            assertThat(diagnosed).doesNotContain("LEAK");

        String workspace = broker.createWorkspace("agent", "fake");
        String ticket = deliver(workspace).path("env").path("FAKE_TICKET").asString();
        expect(200, broker.send("POST", "/v1/deliver/token", tokenBody(ticket), null));

        String diagnose =
                expect(200, broker.send("GET", "/v1/diagnose/" + session, null)).body();
        String byProvider =
                expect(200, broker.send("GET", "/v1/diagnose/fake", null)).body();
        for (String text : List.of(broker.log(), diagnose, byProvider)) {
            assertThat(text)
                    .doesNotContain("s3cr3tc0de")
                    .doesNotContain("access-s3cr3tc0de")
                    .doesNotContain("refresh-s3cr3tc0de")
                    .doesNotContain(ticket)
                    .doesNotContain(workspace);
        }
    }

    @Test
    void anApiKeyGoesThroughStdinAndIsRedactedWhereverTheCliEchoesIt() {
        String key = "sk-attack-0123456789abcdef";
        String session = expect(
                        201,
                        broker.send(
                                "POST",
                                "/v1/logins",
                                "{\"provider\":\"fake\",\"mode\":\"api-key\",\"api_key\":\"" + key + "\"}"))
                .json()
                .path("session")
                .asString();
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        String diagnose =
                expect(200, broker.send("GET", "/v1/diagnose/" + session, null)).body();
        assertThat(diagnose).contains("API key saved");
        for (String text : List.of(diagnose, broker.log())) assertThat(text).doesNotContain(key);
        expectError(
                400,
                "unexpected_api_key",
                broker.send(
                        "POST",
                        "/v1/logins",
                        "{\"provider\":\"fake\",\"mode\":\"paste\",\"force\":true,\"api_key\":\"k\"}"));
        String workspace = broker.createWorkspace("agent", "fake");
        JsonNode delivered = deliver(workspace);
        assertThat(delivered.path("env").path("FAKE_KEY").asString()).isEqualTo(key);
        assertThat(delivered.path("env").has("FAKE_TICKET")).isFalse();
    }

    // ------------------------------------------------------------------ refresh tickets

    @Test
    void aTicketYieldsTheCurrentAccessTokenAndNothingElse() {
        connect("t0k#st4te");
        String workspace = broker.createWorkspace("agent", "fake");
        JsonNode delivered = deliver(workspace);
        String ticket = delivered.path("env").path("FAKE_TICKET").asString();
        assertThat(ticket).startsWith("arx_");
        assertThat(delivered.path("env").path("FAKE_REFRESH_URL").asString())
                .isEqualTo(broker.url() + "/v1/deliver/token");

        JsonNode answer = expect(200, broker.send("POST", "/v1/deliver/token", tokenBody(ticket), null))
                .json();
        assertThat(answer.path("access_token").asString()).isEqualTo("access-t0k");
        assertThat(answer.toString()).doesNotContain("refresh-t0k").doesNotContain("arx_");
        // with any bearer token, even a wrong one, the route stays what it is: no principal, no lockout
        expect(200, broker.send("POST", "/v1/deliver/token", tokenBody(ticket), "arw_wrong"));
    }

    @Test
    void aForgedOrMalformedTicketGetsNothing() {
        connect("t0k#st4te");
        broker.addStaticProvider("forge", "git.example.com", "static-s3cret");
        String workspace = broker.createWorkspace("agent", "fake", "forge");
        broker.createWorkspace("other", "forge");
        String ticket = deliver(workspace).path("env").path("FAKE_TICKET").asString();
        String[] parts = ticket.substring(4).split("\\.");

        List<String> forged = List.of(
                "arx_" + b64("agent") + "." + b64("forge") + "." + parts[2],
                "arx_" + b64("other") + "." + parts[1] + "." + parts[2],
                "arx_" + b64("AGENT") + "." + parts[1] + "." + parts[2],
                "arx_" + parts[0] + "." + b64("FAKE") + "." + parts[2],
                "arx_" + parts[0] + "." + parts[1] + "." + flipFirst(parts[2]),
                "arx_" + parts[0] + "." + parts[1] + ".",
                "arx_" + parts[0] + "." + parts[1],
                ticket + ".x",
                "ARX_" + ticket.substring(4),
                "arx_" + parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10),
                "arx_..",
                "arx_" + "A".repeat(2000),
                "arx_" + b64("agent\u0000") + "." + parts[1] + "." + parts[2],
                "arx_" + b64("agent") + "." + b64("fake\u0301") + "." + parts[2]);
        for (String bad : forged) {
            Reply reply = broker.send("POST", "/v1/deliver/token", tokenBody(bad), null);
            expectError(403, "refresh_token_invalidated", reply);
            assertThat(reply.body()).doesNotContain("access-t0k").doesNotContain("static-s3cret");
        }
    }

    @Test
    void oddBodiesAreClientErrorsNeverServerErrors() {
        connect("t0k#st4te");
        String workspace = broker.createWorkspace("agent", "fake");
        String ticket = deliver(workspace).path("env").path("FAKE_TICKET").asString();
        for (String body : Arrays.asList(
                "{",
                "",
                "null",
                "[]",
                "\"" + ticket + "\"",
                "[\"" + ticket + "\"]",
                "{\"refresh_token\":5}",
                "{\"refresh_token\":[\"" + ticket + "\"]}",
                "{\"refresh_token\":{\"a\":\"" + ticket + "\"}}",
                "{\"refresh_token\":null}",
                "refresh_token=" + ticket)) {
            Reply reply = broker.send(
                    broker.request("POST", "/v1/deliver/token", body, null).header("Content-Type", "application/json"));
            assertThat(reply.status()).as(body).isBetween(400, 499);
            assertThat(reply.body()).doesNotContain("access-t0k");
        }
        assertThat(broker.log()).doesNotContain("unhandled error");
        Reply oversized = broker.send("POST", "/v1/deliver/token", tokenBody(ticket + " ".repeat(70_000)), null);
        assertThat(oversized.status()).isBetween(400, 499);
        assertThat(oversized.body()).doesNotContain("access-t0k");
    }

    @Test
    void aTicketEndsWithItsWorkspacesTokenAndItsGrant() {
        connect("t0k#st4te");
        broker.addStaticProvider("forge", "git.example.com", "static-s3cret");

        String rotated = ticketFor(broker.createWorkspace("rotated", "fake"));
        expect(200, broker.send("POST", "/v1/workspaces/rotated/rotate", "{}"));
        expectError(
                403, "refresh_token_invalidated", broker.send("POST", "/v1/deliver/token", tokenBody(rotated), null));

        String revoked = ticketFor(broker.createWorkspace("revoked", "fake"));
        expect(200, broker.send("POST", "/v1/workspaces/revoked/revoke", "{}"));
        expectError(
                403, "refresh_token_invalidated", broker.send("POST", "/v1/deliver/token", tokenBody(revoked), null));

        String deleted = ticketFor(broker.createWorkspace("deleted", "fake"));
        expect(200, broker.send("POST", "/v1/workspaces/deleted/revoke", "{}"));
        expect(204, broker.send("DELETE", "/v1/workspaces/deleted", null));
        broker.createWorkspace("deleted", "fake");
        expectError(
                403, "refresh_token_invalidated", broker.send("POST", "/v1/deliver/token", tokenBody(deleted), null));

        String ungranted = ticketFor(broker.createWorkspace("ungranted", "fake", "forge"));
        expect(200, broker.send("POST", "/v1/workspaces/ungranted/ungrant", "{\"grants\":[\"fake\"]}"));
        Reply refused = broker.send("POST", "/v1/deliver/token", tokenBody(ungranted), null);
        expect(403, refused);
        assertThat(refused.body()).doesNotContain("access-t0k");

        String loggedOut = ticketFor(broker.createWorkspace("after-logout", "fake"));
        expect(200, broker.send("POST", "/v1/credentials/fake/logout", "{}"));
        Reply afterLogout = broker.send("POST", "/v1/deliver/token", tokenBody(loggedOut), null);
        assertThat(afterLogout.status()).isBetween(400, 499);
        assertThat(afterLogout.body()).doesNotContain("access-t0k");
    }

    @Test
    void aWebPageCannotSpendATicket() {
        connect("t0k#st4te");
        String ticket = ticketFor(broker.createWorkspace("agent", "fake"));
        List<Map<String, String>> browserHeaders = List.of(
                Map.of("Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "same-site"),
                Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "null"));
        for (Map<String, String> headers : browserHeaders) {
            var request = broker.request("POST", "/v1/deliver/token", tokenBody(ticket), null)
                    .header("Content-Type", "text/plain");
            headers.forEach(request::header);
            Reply reply = broker.send(request);
            expectError(403, "browser_request_refused", reply);
            assertThat(reply.body()).doesNotContain("access-t0k");
        }
        Reply rebound = broker.sendRaw("POST", "/v1/deliver/token", null, "Host", "evil.example:" + broker.port());
        expectError(403, "browser_request_refused", rebound);
    }

    @Test
    void aNonCliProviderHasNothingToDeliver() {
        broker.addStaticProvider("forge", "git.example.com", "static-s3cret");
        String workspace = broker.createWorkspace("agent", "forge");
        Reply reply = broker.send("POST", "/v1/deliver", "{\"provider\":\"forge\"}", workspace);
        expectError(400, "not_a_cli_provider", reply);
        assertThat(reply.body()).doesNotContain("static-s3cret");
    }

    @Test
    void aTokenValueIsDeliveredLiterallyNeverAsATemplate() {
        connect("{{refresh_ticket}}#st4te");
        String workspace = broker.createWorkspace("agent", "fake");
        JsonNode delivered = deliver(workspace);
        assertThat(delivered.path("env").path("FAKE_TOKEN").asString()).isEqualTo("access-{{refresh_ticket}}");
        JsonNode file =
                JSON.readTree(delivered.path("files").get(0).path("content").asString());
        assertThat(file.path("access").asString()).isEqualTo("access-{{refresh_ticket}}");
    }

    // ------------------------------------------------------------------ helpers

    private String ticketFor(String workspaceToken) {
        return deliver(workspaceToken).path("env").path("FAKE_TICKET").asString();
    }

    private JsonNode deliver(String workspaceToken) {
        return expect(200, broker.send("POST", "/v1/deliver", "{\"provider\":\"fake\"}", workspaceToken))
                .json();
    }

    private void connect(String code) {
        String session = startAndAwaitUrl("fake").path("session").asString();
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", inputBody(code, false)));
        assertThat(broker.awaitLoginEnd(session, Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
    }

    /** The session still waits; {@code code} connects it, and the CLI read exactly that line and nothing before it. */
    private void assertOnlyThisWasTyped(String session, String code) {
        assertThat(status(session)).isEqualTo("awaiting_user");
        expect(200, broker.send("POST", "/v1/logins/" + session + "/input", inputBody(code, false)));
        JsonNode ended = broker.awaitLoginEnd(session, Duration.ofSeconds(30));
        assertThat(ended.path("status").asString()).isEqualTo("connected");
        assertThat(ended.path("account").asString())
                .isEqualTo(java.util.HexFormat.of().formatHex(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private String status(String session) {
        return expect(200, broker.send("GET", "/v1/logins/" + session, null))
                .json()
                .path("status")
                .asString();
    }

    private JsonNode startAndAwaitUrl(String provider) {
        return startAndAwaitUrl(provider, null, false);
    }

    private JsonNode startAndAwaitUrl(String provider, String mode, boolean force) {
        ObjectNode body = JSON.createObjectNode().put("provider", provider).put("force", force);
        if (mode != null) body.put("mode", mode);
        JsonNode started =
                expect(201, broker.send("POST", "/v1/logins", body.toString())).json();
        String session = started.path("session").asString();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            JsonNode now = expect(200, broker.send("GET", "/v1/logins/" + session, null))
                    .json();
            if (!now.path("verification_uri").isNull()) return now;
            TestBroker.pause(50);
        }
        throw new AssertionError("the fake CLI's URL never showed");
    }

    private static String inputBody(String input, boolean fromAgent) {
        return JSON.createObjectNode()
                .put("input", input)
                .put("from_agent", fromAgent)
                .toString();
    }

    private static String tokenBody(String ticket) {
        return JSON.createObjectNode()
                .put("grant_type", "refresh_token")
                .put("client_id", "app_x")
                .put("refresh_token", ticket)
                .toString();
    }

    private static String b64(String text) {
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Its first character changed: the last one carries padding bits a decoder may ignore. */
    private static String flipFirst(String b64) {
        return (b64.charAt(0) == 'A' ? 'B' : 'A') + b64.substring(1);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
