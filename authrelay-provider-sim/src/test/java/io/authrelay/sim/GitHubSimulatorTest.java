package io.authrelay.sim;

import static io.authrelay.sim.Http.DEVICE_GRANT;
import static io.authrelay.sim.Http.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.sim.Http.Resp;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class GitHubSimulatorTest {

    static final String[] JSON = {"Accept", "application/json"};
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("Iv1.app:secret".getBytes());

    @RegisterExtension
    static final SimulatorForTests running =
            SimulatorForTests.openAndUnthrottledEachTest(SimOptions.defaults(Flavor.GITHUB));

    static final ProviderSimulator sim = running.sim;
    static final Http http = running.http;

    @Test
    void defaultsImitateAGitHubOAuthAppOnLoopback() {
        SimOptions defaults = SimOptions.defaults(Flavor.GITHUB);
        assertThat(defaults.tokenLifetimeSeconds()).isZero();
        assertThat(defaults.intervalSeconds()).isEqualTo(5);
        assertThat(defaults.codeLifetimeSeconds()).isEqualTo(900);
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isZero();
    }

    record Device(String deviceCode, String userCode, JsonNode json) {}

    static Device authorize(String scope) throws IOException {
        Resp r = http.postForm("/login/device/code", form("client_id", "Iv1.app", "scope", scope), JSON);
        assertThat(r.status()).isEqualTo(200);
        return new Device(r.str("device_code"), r.str("user_code"), r.json());
    }

    static Resp poll(String deviceCode) throws IOException {
        return http.postForm(
                "/login/oauth/access_token",
                form("client_id", "Iv1.app", "device_code", deviceCode, "grant_type", DEVICE_GRANT),
                JSON);
    }

    static Resp refresh(String refreshToken) throws IOException {
        return http.postForm(
                "/login/oauth/access_token",
                form(
                        "client_id",
                        "Iv1.app",
                        "client_secret",
                        "s",
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        refreshToken),
                JSON);
    }

    static JsonNode login(String login, String scope) throws IOException {
        Device d = authorize(scope);
        sim.approve(d.userCode(), login);
        Resp r = poll(d.deviceCode());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("error")).isNull();
        return r.json();
    }

    @Test
    void fullDeviceFlowWithGitHubShapedErrorsAndTokens() throws Exception {
        Device d = authorize("repo read:org");
        assertThat(d.userCode()).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(d.deviceCode()).matches("[0-9a-f]{40}");
        assertThat(d.json().get("verification_uri").asString()).isEqualTo(sim.baseUrl() + "/login/device");
        assertThat(d.json().has("verification_uri_complete")).isFalse();
        assertThat(d.json().get("expires_in").asInt()).isEqualTo(900);

        Resp pending = poll(d.deviceCode());
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.str("error")).isEqualTo("authorization_pending");
        assertThat(pending.str("error_description")).isNotBlank();
        assertThat(pending.str("error_uri")).startsWith("https://");

        assertThat(http.postJson("/sim/approve", Map.of("user_code", d.userCode()))
                        .status())
                .isEqualTo(200);
        Resp ok = poll(d.deviceCode());
        assertThat(ok.status()).isEqualTo(200);
        JsonNode t = ok.json();
        String token = t.get("access_token").asString();
        assertThat(token).matches("gho_[A-Za-z0-9]{36}");
        assertThat(t.get("token_type").asString()).isEqualTo("bearer");
        assertThat(t.get("scope").asString()).isEqualTo("repo,read:org");
        assertThat(t.has("expires_in")).isFalse();
        assertThat(t.has("refresh_token")).isFalse();

        for (String path : new String[] {"/user", "/api/v3/user"}) {
            for (String scheme : new String[] {"token ", "Bearer "}) {
                Resp me = http.get(path, "Authorization", scheme + token);
                assertThat(me.status()).isEqualTo(200);
                assertThat(me.str("login")).isEqualTo("sim-user");
                assertThat(me.json().get("id").asLong()).isPositive();
                assertThat(me.str("name")).isNotBlank();
                assertThat(me.header("X-OAuth-Scopes")).isEqualTo("repo, read:org");
            }
        }
        Resp bad = http.get("/user", "Authorization", "token gho_nope");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.str("message")).isEqualTo("Bad credentials");

        Resp consumed = poll(d.deviceCode());
        assertThat(consumed.status()).isEqualTo(200);
        assertThat(consumed.str("error")).isEqualTo("invalid_grant");
    }

    @Test
    void withoutAcceptJsonTheAnswersAreFormEncodedLikeGitHub() throws Exception {
        Resp r = http.postForm("/login/device/code", form("client_id", "Iv1.app", "scope", "repo"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(r.body())
                .contains("device_code=", "user_code=", "verification_uri=", "expires_in=900", "interval=0");
        String deviceCode = r.body().replaceAll(".*device_code=([0-9a-f]+).*", "$1");
        Resp p = http.postForm(
                "/login/oauth/access_token",
                form("client_id", "Iv1.app", "device_code", deviceCode, "grant_type", DEVICE_GRANT));
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.body()).startsWith("error=authorization_pending&");
    }

    @Test
    void slowDownComesWithHttp200AndTheNewInterval() throws Exception {
        sim.setIntervalSeconds(1);
        Device d = authorize("repo");
        assertThat(d.json().get("interval").asInt()).isEqualTo(1);
        assertThat(poll(d.deviceCode()).str("error")).isEqualTo("authorization_pending");
        Resp slow = poll(d.deviceCode());
        assertThat(slow.status()).isEqualTo(200);
        assertThat(slow.str("error")).isEqualTo("slow_down");
        assertThat(slow.json().get("interval").asInt()).isEqualTo(6);
        Resp slower = poll(d.deviceCode());
        assertThat(slower.json().get("interval").asInt()).isEqualTo(11);
    }

    @Test
    void deniedAndExpiredCodesAnswerWithHttp200() throws Exception {
        Device denied = authorize("repo");
        sim.deny(denied.userCode());
        Resp r = poll(denied.deviceCode());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("error")).isEqualTo("access_denied");

        sim.setCodeLifetimeSeconds(1);
        Device expiring = authorize("repo");
        assertThat(expiring.json().get("expires_in").asInt()).isEqualTo(1);
        Thread.sleep(1_100);
        Resp e = poll(expiring.deviceCode());
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.str("error")).isEqualTo("expired_token");
        assertThat(sim.polls())
                .filteredOn(p -> expiring.userCode().equals(p.userCode()))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.httpStatus()).isEqualTo(200);
                    assertThat(p.error()).isEqualTo("expired_token");
                });
    }

    @Test
    void gitHubAppTokensExpireAndRefreshTokensRotateWithReuseDetection() throws Exception {
        sim.setTokenLifetimeSeconds(28_800);
        GrantCounts before = sim.grantCounts();
        JsonNode t = login("octocat", "repo");
        assertThat(t.get("expires_in").asInt()).isEqualTo(28_800);
        assertThat(t.get("refresh_token_expires_in").asInt()).isEqualTo(15_897_600);
        String rt1 = t.get("refresh_token").asString();
        assertThat(rt1).matches("ghr_[A-Za-z0-9]{76}");

        Resp r = refresh(rt1);
        assertThat(r.status()).isEqualTo(200);
        String at2 = r.str("access_token");
        String rt2 = r.str("refresh_token");
        assertThat(at2).matches("gho_[A-Za-z0-9]{36}");
        assertThat(rt2).matches("ghr_[A-Za-z0-9]{76}").isNotEqualTo(rt1);
        assertThat(http.get("/user", "Authorization", "Bearer " + at2).str("login"))
                .isEqualTo("octocat");

        Resp reuse = refresh(rt1);
        assertThat(reuse.status()).isEqualTo(200);
        assertThat(reuse.str("error")).isEqualTo("invalid_grant");
        assertThat(http.get("/user", "Authorization", "Bearer " + at2).status()).isEqualTo(401);
        assertThat(http.get(
                                "/user",
                                "Authorization",
                                "Bearer " + t.get("access_token").asString())
                        .status())
                .isEqualTo(401);
        assertThat(refresh(rt2).str("error")).isEqualTo("invalid_grant");

        GrantCounts after = sim.grantCounts();
        assertThat(after.refreshGrantsSucceeded() - before.refreshGrantsSucceeded())
                .isEqualTo(1);
        assertThat(after.refreshGrantsRejected() - before.refreshGrantsRejected())
                .isEqualTo(2);
        assertThat(after.familiesRevoked() - before.familiesRevoked()).isEqualTo(1);
    }

    @Test
    void applicationGrantDeletionRevokesTheTokens() throws Exception {
        String token = login("hubot", "repo").get("access_token").asString();
        String body = "{\"access_token\":\"" + token + "\"}";
        assertThat(http.delete("/applications/Iv1.app/grant", body).status()).isEqualTo(401);
        assertThat(http.get("/user", "Authorization", "token " + token).status())
                .isEqualTo(200);
        assertThat(http.delete("/applications/other-app/grant", body, "Authorization", BASIC)
                        .status())
                .isEqualTo(404);
        Resp deleted = http.delete("/applications/Iv1.app/grant", body, "Authorization", BASIC);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get("/user", "Authorization", "token " + token).status())
                .isEqualTo(401);

        String token2 = login("hubot", "repo").get("access_token").asString();
        String body2 = "{\"access_token\":\"" + token2 + "\"}";
        assertThat(http.delete("/api/v3/applications/Iv1.app/grant", body2, "Authorization", BASIC)
                        .status())
                .isEqualTo(204);
        assertThat(http.get("/api/v3/user", "Authorization", "token " + token2).status())
                .isEqualTo(401);
    }

    @Test
    void anUnknownClientIsRefusedWith401AtTheDeviceCodeEndpointBut200AtTheTokenEndpoint() throws Exception {
        sim.allowClients("Iv1.app");
        Resp code = http.postForm("/login/device/code", form("client_id", "Iv1.other", "scope", "repo"), JSON);
        assertThat(code.status()).isEqualTo(401);
        assertThat(code.str("error")).isEqualTo("invalid_client");
        assertThat(code.str("error_uri")).startsWith("https://docs.github.com/");
        Resp token = http.postForm(
                "/login/oauth/access_token",
                form("client_id", "Iv1.other", "device_code", "x", "grant_type", DEVICE_GRANT),
                JSON);
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.str("error")).isEqualTo("invalid_client");
    }

    @Test
    void oidcPathsDoNotExistOnTheGitHubFlavor() throws Exception {
        assertThat(http.get("/.well-known/openid-configuration").status()).isEqualTo(404);
        assertThat(http.postForm("/oauth/device_authorization", form("client_id", "Iv1.app"))
                        .status())
                .isEqualTo(404);
        assertThat(http.postForm("/oauth/token", form("client_id", "Iv1.app")).status())
                .isEqualTo(404);
        assertThat(http.get("/userinfo").status()).isEqualTo(404);
        assertThat(http.get("/jwks").status()).isEqualTo(404);
        assertThat(http.postForm("/oauth/revoke", form("token", "x")).status()).isEqualTo(404);
        Resp notFound = http.get("/device");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.str("message")).isEqualTo("Not Found");
        assertThat(http.get("/login/device?user_code=ABCD-EFGH").body()).contains("ABCD-EFGH");
    }
}
