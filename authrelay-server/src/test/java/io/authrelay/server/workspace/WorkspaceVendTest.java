package io.authrelay.server.workspace;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Workspace tokens: scoped by grants, isolated from each other, revocable, and good for nothing but vending; on SQLite
 * and on PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class WorkspaceVendTest {
    @RegisterExtension
    final TestBroker d;

    private final TestDatabase database;

    WorkspaceVendTest(TestDatabase database) {
        this.database = database;
        d = TestBroker.inProcess().on(database);
    }

    String secretA;
    String secretB;

    @BeforeEach
    void start() throws Exception {
        secretA = "secret-a-" + UUID.randomUUID();
        secretB = "secret-b-" + UUID.randomUUID();
        expect(
                201,
                d.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"giteaa\",\"type\":\"static\",\"host\":\"a.git.test\",\"username\":\"bot\"}"));
        expect(200, d.send("PUT", "/v1/credentials/giteaa", "{\"secret\":\"" + secretA + "\"}"));
        expect(
                201,
                d.send("POST", "/v1/providers", "{\"name\":\"giteab\",\"type\":\"static\",\"host\":\"b.git.test\"}"));
        expect(200, d.send("PUT", "/v1/credentials/giteab", "{\"secret\":\"" + secretB + "\"}"));
    }

    private static JsonNode json(Reply r) {
        return r.json();
    }

    private String workspace(String name, String... grants) {
        String token = d.createWorkspace(name, grants);
        assertThat(token).startsWith("arw_").hasSize(4 + 43);
        return token;
    }

    private Reply vend(String token, String host, String path) {
        return d.vend(token, host, path);
    }

    private static void assertError(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").path("code").asString()).isEqualTo(code);
    }

    @Test
    void theDaemonSaysWhichDatabaseItRunsOn() {
        JsonNode status = json(expect(200, d.send("GET", "/v1/status", null)));
        assertThat(status.path("database").asString()).isEqualTo(database.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(status.path("ready").asBoolean()).isTrue();
    }

    @Test
    void vendsTheGrantedCredentialWithItsUsernameAndAnExpiryAndAuditsIt() {
        String token = workspace("wsa", "giteaa=a.git.test/team/*");
        // A path of this test's own: the redactor is one per JVM, and another test may have stored "team/repo.git"
        // as a secret, which every later log and audit line then masks.
        String path = "team/repo-" + UUID.randomUUID() + ".git";
        JsonNode vend = json(expect(200, vend(token, "a.git.test", path)));
        assertThat(vend.path("username").asString()).isEqualTo("bot");
        assertThat(vend.path("password").asString()).isEqualTo(secretA);
        assertThat(vend.path("password_expiry_utc").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);

        Reply text = d.sendGitFormat("/v1/vend", "protocol=https\nhost=a.git.test\npath=team/x.git\n\n", token);
        assertThat(text.body()).startsWith("username=bot\npassword=" + secretA + "\npassword_expiry_utc=");

        assertError(vend(token, "a.git.test", "other/repo.git"), 403, "not_granted");
        assertError(vend(token, "b.git.test", "x"), 403, "not_granted");
        assertError(vend(token, "nobody.example", "x"), 404, "unknown_host");
        String audit = expect(200, d.send("GET", "/v1/audit", null)).body();
        assertThat(audit)
                .contains("workspace:wsa", "\"vend\"", "host=a.git.test path=" + path)
                .doesNotContain(secretA);
        assertThat(expect(200, d.send("GET", "/metrics", null)).body())
                .contains("authrelay_vends_total{result=\"ok\",workspace=\"wsa\"}", "authrelay_vend_latency");
    }

    @Test
    void workspaceANeverObtainsWorkspaceBsCredentialsThroughAnyEndpoint() {
        String a = workspace("wsa", "giteaa");
        workspace("wsb", "giteab");
        assertError(vend(a, "b.git.test", null), 403, "not_granted");
        assertError(d.send("POST", "/v1/vend", "{\"provider\":\"giteab\"}", a), 403, "not_granted");
        for (String[] call : List.of(
                new String[] {"GET", "/v1/workspaces"},
                new String[] {"GET", "/v1/workspaces/wsb"},
                new String[] {"POST", "/v1/workspaces/wsb/rotate"},
                new String[] {"GET", "/v1/audit"},
                new String[] {"GET", "/v1/credentials"},
                new String[] {"POST", "/v1/credentials/giteab/token"},
                new String[] {"POST", "/v1/logins"},
                new String[] {"GET", "/v1/status"},
                new String[] {"GET", "/v1/providers"},
                new String[] {"GET", "/metrics"},
                new String[] {"GET", "/v1/diagnose/giteab"})) {
            Reply r = d.send(call[0], call[1], call[0].equals("POST") ? "{}" : null, a);
            assertError(r, 403, "forbidden");
            assertThat(r.body()).doesNotContain(secretB);
        }
        JsonNode self = json(expect(200, d.send("GET", "/v1/workspace", null, a)));
        assertThat(self.path("name").asString()).isEqualTo("wsa");
        assertThat(self.toString()).doesNotContain("wsb");
        assertError(d.send("POST", "/v1/vend", "{\"provider\":\"giteaa\"}", d.adminToken()), 403, "forbidden");
    }

    @Test
    void revocationRotationAndExpiryTakeEffectOnTheNextRequest() throws Exception {
        String token = workspace("wsa", "giteaa");
        expect(200, vend(token, "a.git.test", null));
        expect(200, d.send("POST", "/v1/workspaces/wsa/revoke", "{}"));
        Reply revoked = vend(token, "a.git.test", null);
        assertError(revoked, 401, "workspace_revoked");
        assertThat(json(revoked).path("error").path("hint").asString()).contains("ask an admin");

        String rotated = json(expect(200, d.send("POST", "/v1/workspaces/wsa/rotate", "{}")))
                .path("token")
                .asString();
        assertError(vend(token, "a.git.test", null), 401, "invalid_token");
        expect(200, vend(rotated, "a.git.test", null));

        JsonNode shortLived = json(expect(
                201, d.send("POST", "/v1/workspaces", "{\"name\":\"brief\",\"grants\":[\"giteaa\"],\"ttl\":\"1s\"}")));
        Thread.sleep(1_200);
        assertError(vend(shortLived.path("token").asString(), "a.git.test", null), 401, "workspace_expired");
        assertThat(expect(200, d.send("GET", "/v1/workspaces", null)).body())
                .doesNotContain(rotated)
                .doesNotContain("token_hash");
    }

    @Test
    void aStaleOrMissingCredentialGivesStableCodes() {
        String token = workspace("wsa", "giteaa");
        expect(204, d.send("DELETE", "/v1/credentials/giteaa", null));
        assertError(vend(token, "a.git.test", null), 404, "credential_not_found");
        assertError(
                d.send("POST", "/v1/workspaces", "{\"name\":\"x\",\"grants\":[\"nosuch\"]}"),
                404,
                "provider_not_found");
        assertError(d.send("POST", "/v1/workspaces", "{\"name\":\"x\",\"grants\":[]}"), 400, "no_grants");
        JsonNode rejected = json(expect(
                200, d.send("POST", "/v1/vend/reject", "{\"protocol\":\"https\",\"host\":\"a.git.test\"}", token)));
        assertThat(rejected.path("action").asString()).isEqualTo("ignored");
    }

    @Test
    void aWorkspaceReportingRejectsInALoopIsRefusedAfterTenAMinuteAndOthersAreNot() {
        String looping = workspace("looping", "giteaa");
        String other = workspace("other", "giteaa");
        String body = "{\"protocol\":\"https\",\"host\":\"a.git.test\"}";
        for (int i = 0; i < 10; i++) expect(200, d.send("POST", "/v1/vend/reject", body, looping));

        Reply refused = d.send("POST", "/v1/vend/reject", body, looping);
        assertError(refused, 429, "too_many_rejects");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        expect(200, d.send("POST", "/v1/vend/reject", body, other));
        expect(200, vend(looping, "a.git.test", null)); // vending itself is not limited
    }
}
