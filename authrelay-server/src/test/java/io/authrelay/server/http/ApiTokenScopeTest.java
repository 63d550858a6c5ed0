package io.authrelay.server.http;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.auth.Scope;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** API tokens against every route, from each scope, and the ways a token can be wrong. */
class ApiTokenScopeTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess();

    /** One call of every route but the public probes, and what it asks of its caller. */
    record Call(String method, String path, String body, Access needs) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * Every authenticated route. Writes name things that do not exist or send bodies that fail validation, so that a
     * call that passes authorization answers 4xx without changing anything the next calls need.
     */
    static final List<Call> ROUTES = List.of(
            new Call("GET", "/metrics", null, Access.METRICS),
            new Call("GET", "/v1/status", null, Access.READ),
            new Call("GET", "/v1/providers", null, Access.READ),
            new Call("GET", "/v1/providers/gh", null, Access.READ),
            new Call("GET", "/v1/credentials", null, Access.READ),
            new Call("GET", "/v1/logins", null, Access.READ),
            new Call("GET", "/v1/logins/ls_nope", null, Access.READ),
            new Call("GET", "/v1/diagnose/gh", null, Access.READ),
            new Call("GET", "/v1/workspaces", null, Access.READ),
            new Call("GET", "/v1/workspaces/wsa", null, Access.READ),
            new Call("GET", "/v1/audit", null, Access.READ),
            new Call("GET", "/v1/keys", null, Access.READ),
            new Call("POST", "/v1/providers", "{}", Access.ADMIN),
            new Call("DELETE", "/v1/providers/nope", null, Access.ADMIN),
            new Call("PUT", "/v1/credentials/nope", "{\"secret\":\"s3cret-value\"}", Access.ADMIN),
            new Call("DELETE", "/v1/credentials/nope", null, Access.ADMIN),
            new Call("POST", "/v1/credentials/gh/token", "{}", Access.ADMIN),
            new Call("POST", "/v1/credentials/nope/logout", "{}", Access.ADMIN),
            new Call("POST", "/v1/logins", "{\"provider\":\"nope\"}", Access.ADMIN),
            new Call("POST", "/v1/logins/ls_nope/cancel", "{}", Access.ADMIN),
            new Call("POST", "/v1/workspaces", "{}", Access.ADMIN),
            new Call("POST", "/v1/workspaces/nope/revoke", "{}", Access.ADMIN),
            new Call("POST", "/v1/workspaces/nope/rotate", "{}", Access.ADMIN),
            new Call("POST", "/v1/workspaces/nope/grants", "{}", Access.ADMIN),
            new Call("POST", "/v1/workspaces/nope/ungrant", "{}", Access.ADMIN),
            new Call("DELETE", "/v1/workspaces/nope", null, Access.ADMIN),
            new Call("POST", "/v1/keys/rotate", "{}", Access.ADMIN),
            new Call("GET", "/v1/api-tokens", null, Access.ADMIN),
            new Call("POST", "/v1/api-tokens", "{}", Access.ADMIN),
            new Call("POST", "/v1/api-tokens/nope/revoke", "{}", Access.ADMIN),
            new Call("POST", "/v1/admin-token/rotate", "{}", Access.ADMIN_TOKEN),
            // In this JVM nothing waits on the stop request, so an allowed call does not stop the daemon under test.
            new Call("POST", "/v1/shutdown", "{}", Access.ADMIN),
            new Call("POST", "/v1/vend", "{\"provider\":\"gh\"}", Access.WORKSPACE),
            new Call("POST", "/v1/vend/reject", "{\"provider\":\"gh\"}", Access.WORKSPACE),
            new Call("GET", "/v1/workspace", null, Access.WORKSPACE));

    private final List<Reply> replies = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private String secret;

    @BeforeEach
    void aProviderAndAWorkspace() {
        secret = "Canary-" + UUID.randomUUID();
        d.addStaticProvider("gh", "git.example.test", secret);
        tokens.add(expect(201, d.send("POST", "/v1/workspaces", "{\"name\":\"wsa\",\"grants\":[\"gh\"]}"))
                .json()
                .path("token")
                .asString());
    }

    private String token(String name, String scope) {
        String token = d.createApiToken(name, scope);
        tokens.add(token);
        return token;
    }

    private Reply send(String method, String path, String body, String token) {
        Reply reply = d.send(method, path, body, token);
        replies.add(reply);
        return reply;
    }

    @ParameterizedTest
    @EnumSource(Scope.class)
    void eachScopeOpensExactlyItsRoutesAndNoTokenOfAnyScopeOpensVendingOrTheAdminTokenRotation(Scope scope) {
        String token = token("t-" + scope.wireName(), scope.wireName());
        for (Call call : ROUTES) {
            Reply reply = send(call.method(), call.path(), call.body(), token);
            if (call.needs() == Access.WORKSPACE) {
                expectError(403, "forbidden", reply);
            } else if (call.needs() == Access.ADMIN_TOKEN) {
                expectError(403, "insufficient_scope", reply);
                assertThat(reply.json().path("error").path("message").asString())
                        .contains("admin token");
            } else if (scope.covers(call.needs().scope())) {
                assertThat(reply.status()).as(call + " → " + reply).isNotIn(401, 403, 429, 500);
            } else {
                expectError(403, "insufficient_scope", reply);
                assertThat(reply.json().path("error").path("message").asString())
                        .as(call.toString())
                        .contains("'" + call.needs().scope().wireName() + "'");
            }
        }
        assertNoTokenLeaked();
    }

    @Test
    void theSecretRevealIsAdminOnlyAndReadTokensWriteNothing() {
        String metrics = token("prom", "metrics");
        String read = token("dash", "read");
        Reply status = expectError(403, "insufficient_scope", send("GET", "/v1/status", null, metrics));
        assertThat(status.json().path("error").path("hint").asString()).contains("--scope read");
        assertThat(expect(200, send("GET", "/metrics", null, metrics)).body()).contains("authrelay_");

        Reply reveal = expectError(403, "insufficient_scope", send("POST", "/v1/credentials/gh/token", "{}", read));
        assertThat(reveal.body()).contains("'admin'").doesNotContain(secret);
        expectError(
                403, "insufficient_scope", send("PUT", "/v1/credentials/gh", "{\"secret\":\"replaced-value\"}", read));
        expectError(403, "insufficient_scope", send("DELETE", "/v1/providers/gh", null, read));
        expectError(
                403,
                "insufficient_scope",
                send("POST", "/v1/api-tokens", "{\"name\":\"more\",\"scope\":\"metrics\"}", read));
        assertThat(expect(200, d.send("POST", "/v1/credentials/gh/token", "{}"))
                        .json()
                        .path("token")
                        .asString())
                .as("nothing the read token tried changed the credential")
                .isEqualTo(secret);
        assertThat(expect(200, send("GET", "/v1/audit", null, read)).body())
                .contains("\"auth.forbidden\"", "api-token:dash", "api-token:prom");
        assertNoTokenLeaked();
    }

    @Test
    void anAdminScopeTokenMintsLesserTokensButNeverAnotherAdminToken() {
        String admin = token("automation", "admin");
        Reply refused = expectError(
                403,
                "insufficient_scope",
                send("POST", "/v1/api-tokens", "{\"name\":\"successor\",\"scope\":\"admin\"}", admin));
        assertThat(refused.json().path("error").path("message").asString()).contains("only the admin token");
        Reply minted = expect(201, send("POST", "/v1/api-tokens", "{\"name\":\"minted\",\"scope\":\"read\"}", admin));
        tokens.add(minted.json().path("token").asString());
        expect(200, send("POST", "/v1/api-tokens/automation/revoke", "{}", admin));
        expectError(401, "invalid_token", send("GET", "/v1/status", null, admin));
        expect(200, send("GET", "/v1/status", null, minted.json().path("token").asString()));
        String created = d.createApiToken("by-the-admin-token", "admin");
        tokens.add(created);
        expect(200, send("GET", "/v1/api-tokens", null, created));
        assertNoTokenLeaked();
    }

    @Test
    void creationShowsTheTokenOnceAndTheListNeverShowsItOrItsHash() {
        Reply created = expect(
                201, send("POST", "/v1/api-tokens", "{\"name\":\"prom\",\"scope\":\"metrics\"}", d.adminToken()));
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = created.json();
        String token = body.path("token").asString();
        tokens.add(token);
        assertThat(token).startsWith("art_").hasSize(4 + 43);
        assertThat(body.path("scope").asString()).isEqualTo("metrics");
        assertThat(body.path("state").asString()).isEqualTo("active");

        expectError(
                409,
                "api_token_exists",
                send("POST", "/v1/api-tokens", "{\"name\":\"prom\",\"scope\":\"read\"}", d.adminToken()));
        expectError(
                400,
                "invalid_scope",
                send("POST", "/v1/api-tokens", "{\"name\":\"x\",\"scope\":\"root\"}", d.adminToken()));
        expectError(
                400,
                "invalid_name",
                send("POST", "/v1/api-tokens", "{\"name\":\"Bad Name\",\"scope\":\"read\"}", d.adminToken()));
        expectError(404, "api_token_not_found", send("POST", "/v1/api-tokens/none/revoke", "{}", d.adminToken()));

        JsonNode listed = expect(200, send("GET", "/v1/api-tokens", null, d.adminToken()))
                .json()
                .path("api_tokens")
                .get(0);
        assertThat(listed.path("name").asString()).isEqualTo("prom");
        assertThat(listed.path("last_used_at").isNull()).isTrue();
        assertThat(listed.has("token")).isFalse();
        assertThat(listed.toString()).doesNotContain("hash", io.authrelay.core.token.Tokens.hash(token));
        assertNoTokenLeaked();
    }

    @Test
    void lastUseIsRecordedCoarsely() {
        String token = token("prom", "metrics");
        expect(200, send("GET", "/metrics", null, token));
        String first = lastUsed("prom");
        assertThat(first).isNotEqualTo("null");
        TestBroker.pause(20);
        expect(200, send("GET", "/metrics", null, token));
        assertThat(lastUsed("prom"))
                .as("within a minute of the last recorded use")
                .isEqualTo(first);
    }

    private String lastUsed(String name) {
        return expect(200, d.send("GET", "/v1/api-tokens", null))
                .json()
                .path("api_tokens")
                .valueStream()
                .filter(t -> t.path("name").asString().equals(name))
                .findFirst()
                .orElseThrow()
                .path("last_used_at")
                .toString();
    }

    @Test
    void revokedAndAlteredTokensAreWrongTokensCountedByTheLimiterWhileValidTokensAreNeverLimited() {
        String revoked = token("old", "read");
        String valid = token("current", "read");
        expect(200, send("GET", "/v1/status", null, revoked));
        JsonNode view = expect(200, send("POST", "/v1/api-tokens/old/revoke", "{}", d.adminToken()))
                .json();
        assertThat(view.path("state").asString()).isEqualTo("revoked");
        expectError(401, "invalid_token", send("GET", "/v1/status", null, revoked));
        expect(200, send("POST", "/v1/api-tokens/old/revoke", "{}", d.adminToken()));

        expectError(401, "invalid_token", send("GET", "/v1/status", null, altered(valid)));
        expectError(401, "invalid_token", send("GET", "/v1/workspace", null, altered(tokens.getFirst())));
        expectError(401, "invalid_token", send("GET", "/v1/status", null, "arw_" + valid.substring(4)));
        expectError(401, "invalid_token", send("GET", "/v1/status", null, "ara_" + valid.substring(4)));

        int status = 0;
        for (int i = 0; i < 25 && status != 429; i++)
            status = send("GET", "/metrics", null, revoked).status();
        assertThat(status).as("a revoked token counts as a wrong one").isEqualTo(429);
        expectError(429, "too_many_auth_failures", send("GET", "/v1/status", null, altered(valid)));
        expect(200, send("GET", "/v1/status", null, valid));
        expect(200, send("GET", "/v1/workspace", null, tokens.getFirst()));
        assertNoTokenLeaked();
    }

    @Test
    void aWorkspaceTokenOpensNoApiTokenRoute() {
        String workspace = tokens.getFirst();
        expectError(403, "forbidden", send("GET", "/v1/api-tokens", null, workspace));
        expectError(403, "forbidden", send("POST", "/v1/api-tokens", "{\"name\":\"x\",\"scope\":\"read\"}", workspace));
        expectError(403, "forbidden", send("POST", "/v1/admin-token/rotate", "{}", workspace));
        expectError(403, "forbidden", send("GET", "/v1/workspace", null, d.adminToken()));
    }

    /** The same token with one character in the middle changed to another of the alphabet. */
    private static String altered(String token) {
        int at = token.length() / 2;
        char changed = token.charAt(at) == 'A' ? 'B' : 'A';
        return token.substring(0, at) + changed + token.substring(at + 1);
    }

    private void assertNoTokenLeaked() {
        List<String> secrets = new ArrayList<>(tokens);
        secrets.add(d.adminToken());
        String everywhere = String.join(
                "\n",
                replies.stream()
                        .filter(r -> !r.body().contains("\"token\":\"art_"))
                        .map(Reply::body)
                        .toList());
        everywhere += expect(200, d.send("GET", "/v1/audit", null)).body();
        everywhere += expect(200, d.send("GET", "/v1/api-tokens", null)).body();
        for (String token : secrets) assertThat(everywhere).doesNotContain(token);
    }
}
