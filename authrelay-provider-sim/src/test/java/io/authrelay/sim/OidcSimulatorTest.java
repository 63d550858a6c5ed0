package io.authrelay.sim;

import static io.authrelay.sim.Http.DEVICE_GRANT;
import static io.authrelay.sim.Http.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.authrelay.sim.Http.Resp;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class OidcSimulatorTest {

    @RegisterExtension
    static final SimulatorForTests running =
            SimulatorForTests.openAndUnthrottledEachTest(SimOptions.defaults(Flavor.OIDC));

    static final ProviderSimulator sim = running.sim;
    static final Http http = running.http;

    record Device(String deviceCode, String userCode, JsonNode json) {}

    static Device authorize(String clientId, String scope) throws IOException {
        Resp r = http.postForm("/oauth/device_authorization", form("client_id", clientId, "scope", scope));
        assertThat(r.status()).isEqualTo(200);
        return new Device(r.str("device_code"), r.str("user_code"), r.json());
    }

    static Resp poll(String clientId, String deviceCode) throws IOException {
        return http.postForm(
                "/oauth/token", form("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", clientId));
    }

    static JsonNode login(String clientId, String login) throws IOException {
        Device d = authorize(clientId, "openid email offline_access");
        sim.approve(d.userCode(), login);
        Resp r = poll(clientId, d.deviceCode());
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    @Test
    void discoveryDocumentIsCompleteAndParsesAsOidcMetadata() throws Exception {
        Resp r = http.get("/.well-known/openid-configuration");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode d = r.json();
        String base = sim.baseUrl();
        assertThat(base).matches("http://127\\.0\\.0\\.1:\\d+").isEqualTo(sim.issuer());
        assertThat(sim.port()).isPositive();
        assertThat(d.get("issuer").asString()).isEqualTo(base);
        assertThat(d.get("device_authorization_endpoint").asString()).isEqualTo(base + "/oauth/device_authorization");
        assertThat(d.get("token_endpoint").asString()).isEqualTo(base + "/oauth/token");
        assertThat(d.get("userinfo_endpoint").asString()).isEqualTo(base + "/userinfo");
        assertThat(d.get("revocation_endpoint").asString()).isEqualTo(base + "/oauth/revoke");
        assertThat(d.get("jwks_uri").asString()).isEqualTo(base + "/jwks");
        assertThat(d.get("grant_types_supported").toString()).contains(DEVICE_GRANT, "refresh_token");
        assertThat(d.get("response_types_supported").toString()).isEqualTo("[\"code\"]");
        assertThat(d.get("subject_types_supported").toString()).isEqualTo("[\"public\"]");
        assertThat(d.get("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");

        OIDCProviderMetadata meta = OIDCProviderMetadata.parse(r.body());
        assertThat(meta.getIssuer().getValue()).isEqualTo(base);
        assertThat(meta.getDeviceAuthorizationEndpointURI().toString()).isEqualTo(base + "/oauth/device_authorization");

        JWKSet jwks = JWKSet.parse(http.get("/jwks").body());
        assertThat(jwks.getKeys()).hasSize(1);
        assertThat(jwks.getKeys().getFirst().isPrivate()).isFalse();
    }

    @Test
    void fullDeviceFlowIssuesSignedIdTokenOnceThenTheCodeIsConsumed() throws Exception {
        GrantCounts before = sim.grantCounts();
        Device d = authorize("cli-app", "openid email");
        assertThat(d.userCode()).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(d.deviceCode()).isNotBlank();
        assertThat(d.json().get("verification_uri").asString()).isEqualTo(sim.baseUrl() + "/device");
        assertThat(d.json().get("verification_uri_complete").asString())
                .isEqualTo(sim.baseUrl() + "/device?user_code=" + d.userCode());
        assertThat(d.json().get("expires_in").asInt()).isEqualTo(900);
        assertThat(d.json().get("interval").asInt()).isZero();

        Resp pending = poll("cli-app", d.deviceCode());
        assertThat(pending.status()).isEqualTo(400);
        assertThat(pending.str("error")).isEqualTo("authorization_pending");

        // the control endpoint takes the code in any case, with or without the dash
        String sloppy = d.userCode().replace("-", "").toLowerCase();
        Resp approved = http.postJson("/sim/approve", Map.of("user_code", sloppy, "login", "octocat"));
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.str("approved")).isEqualTo(d.userCode());

        Resp ok = poll("cli-app", d.deviceCode());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Cache-Control")).isEqualTo("no-store");
        JsonNode t = ok.json();
        assertThat(t.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(t.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(t.get("refresh_token").asString()).isNotBlank();
        assertThat(t.get("scope").asString()).isEqualTo("openid email");

        SignedJWT idToken = SignedJWT.parse(t.get("id_token").asString());
        RSAKey key = (RSAKey) JWKSet.parse(http.get("/jwks").body())
                .getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
        JWTClaimsSet c = idToken.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(sim.issuer());
        assertThat(c.getSubject()).isEqualTo("octocat");
        assertThat(c.getAudience()).containsExactly("cli-app");
        assertThat(c.getStringClaim("preferred_username")).isEqualTo("octocat");
        assertThat(c.getStringClaim("email")).isEqualTo("octocat@example.test");
        assertThat(c.getExpirationTime()).isAfter(new Date());
        assertThat(c.getIssueTime()).isBeforeOrEqualTo(new Date());

        Resp me = http.get(
                "/userinfo", "Authorization", "Bearer " + t.get("access_token").asString());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.str("sub")).isEqualTo("octocat");
        assertThat(me.str("preferred_username")).isEqualTo("octocat");
        assertThat(me.str("email")).isEqualTo("octocat@example.test");

        Resp again = poll("cli-app", d.deviceCode());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.str("error")).isEqualTo("invalid_grant");
        assertThatThrownBy(() -> sim.approve(d.userCode(), "x")).isInstanceOf(IllegalStateException.class);

        GrantCounts after = sim.grantCounts();
        assertThat(after.deviceCodesIssued() - before.deviceCodesIssued()).isEqualTo(1);
        assertThat(after.deviceTokensIssued() - before.deviceTokensIssued()).isEqualTo(1);
        Resp grants = http.get("/sim/grants");
        assertThat(grants.json().get("device_tokens_issued").asInt()).isEqualTo(after.deviceTokensIssued());
    }

    @Test
    void unknownCodesClientsAndGrantTypesAreRejected() throws Exception {
        assertThat(poll("cli-app", "no-such-code").str("error")).isEqualTo("invalid_grant");
        Device d = authorize("cli-app", "openid");
        Resp otherClient = poll("other-app", d.deviceCode());
        assertThat(otherClient.status()).isEqualTo(400);
        assertThat(otherClient.str("error")).isEqualTo("invalid_grant");

        Resp noClient = http.postForm("/oauth/token", form("grant_type", DEVICE_GRANT, "device_code", d.deviceCode()));
        assertThat(noClient.status()).isEqualTo(401);
        assertThat(noClient.str("error")).isEqualTo("invalid_client");

        sim.allowClients("cli-app");
        Resp unknown = http.postForm("/oauth/device_authorization", form("client_id", "stranger"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.str("error")).isEqualTo("invalid_client");
        // HTTP Basic client authentication names the client too
        Resp basic = http.postForm(
                "/oauth/token",
                form("grant_type", DEVICE_GRANT, "device_code", d.deviceCode()),
                "Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString("cli-app:secret".getBytes()));
        assertThat(basic.str("error")).isEqualTo("authorization_pending");

        Resp badGrant = http.postForm("/oauth/token", form("grant_type", "password", "client_id", "cli-app"));
        assertThat(badGrant.status()).isEqualTo(400);
        assertThat(badGrant.str("error")).isEqualTo("unsupported_grant_type");
        assertThat(http.postJson("/sim/approve", Map.of("user_code", "ZZZZ-ZZZZ"))
                        .status())
                .isEqualTo(404);
        assertThat(http.postJson("/sim/approve", Map.of("user_code", "ZZZZ-ZZZZ"))
                        .str("error"))
                .isEqualTo("unknown_user_code");
    }

    @Test
    void pollingFasterThanTheIntervalAnswersSlowDownAndTheIntervalGrowsForGood() throws Exception {
        sim.setIntervalSeconds(1);
        Device d = authorize("cli-app", "openid");
        assertThat(d.json().get("interval").asInt()).isEqualTo(1);
        assertThat(poll("cli-app", d.deviceCode()).str("error")).isEqualTo("authorization_pending");
        Resp fast = poll("cli-app", d.deviceCode());
        assertThat(fast.status()).isEqualTo(400);
        assertThat(fast.str("error")).isEqualTo("slow_down");
        // 1.2 s would satisfy the original 1 s interval, but not the 6 s it became
        Thread.sleep(1_200);
        assertThat(poll("cli-app", d.deviceCode()).str("error")).isEqualTo("slow_down");
        // a fresh code starts again at the configured interval
        Device other = authorize("cli-app", "openid");
        assertThat(poll("cli-app", other.deviceCode()).str("error")).isEqualTo("authorization_pending");
        Thread.sleep(1_050);
        assertThat(poll("cli-app", other.deviceCode()).str("error")).isEqualTo("authorization_pending");
    }

    @Test
    void deniedCodeAnswersAccessDenied() throws Exception {
        Device d = authorize("cli-app", "openid");
        assertThat(http.postJson("/sim/deny", Map.of("user_code", d.userCode())).status())
                .isEqualTo(200);
        Resp r = poll("cli-app", d.deviceCode());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.str("error")).isEqualTo("access_denied");
        assertThat(poll("cli-app", d.deviceCode()).str("error")).isEqualTo("access_denied");
        assertThat(http.postJson("/sim/approve", Map.of("user_code", d.userCode()))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void codeExpiresAfterItsLifetime() throws Exception {
        sim.setCodeLifetimeSeconds(1);
        Device d = authorize("cli-app", "openid");
        assertThat(d.json().get("expires_in").asInt()).isEqualTo(1);
        assertThat(poll("cli-app", d.deviceCode()).str("error")).isEqualTo("authorization_pending");
        Thread.sleep(1_100);
        Resp r = poll("cli-app", d.deviceCode());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.str("error")).isEqualTo("expired_token");
        assertThat(http.postJson("/sim/approve", Map.of("user_code", d.userCode()))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void refreshTokensRotateAndReuseRevokesTheWholeFamily() throws Exception {
        GrantCounts before = sim.grantCounts();
        JsonNode first = login("cli-app", "alice");
        String rt1 = first.get("refresh_token").asString();
        String at1 = first.get("access_token").asString();

        Resp refreshed = http.postForm(
                "/oauth/token", form("grant_type", "refresh_token", "refresh_token", rt1, "client_id", "cli-app"));
        assertThat(refreshed.status()).isEqualTo(200);
        String rt2 = refreshed.str("refresh_token");
        String at2 = refreshed.str("access_token");
        assertThat(rt2).isNotBlank().isNotEqualTo(rt1);
        assertThat(at2).isNotBlank().isNotEqualTo(at1);
        assertThat(refreshed.json().get("expires_in").asInt()).isEqualTo(3600);
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + at2).status())
                .isEqualTo(200);

        // an unrelated login's tokens survive the revocation below
        JsonNode bob = login("cli-app", "bob");

        Resp reuse = http.postForm(
                "/oauth/token", form("grant_type", "refresh_token", "refresh_token", rt1, "client_id", "cli-app"));
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.str("error")).isEqualTo("invalid_grant");

        for (String at : List.of(at1, at2)) {
            Resp me = http.get("/userinfo", "Authorization", "Bearer " + at);
            assertThat(me.status()).isEqualTo(401);
            assertThat(me.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        }
        Resp rt2After = http.postForm(
                "/oauth/token", form("grant_type", "refresh_token", "refresh_token", rt2, "client_id", "cli-app"));
        assertThat(rt2After.str("error")).isEqualTo("invalid_grant");
        Resp unknown = http.postForm(
                "/oauth/token", form("grant_type", "refresh_token", "refresh_token", "nope", "client_id", "cli-app"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.str("error")).isEqualTo("invalid_grant");
        assertThat(http.get(
                                "/userinfo",
                                "Authorization",
                                "Bearer " + bob.get("access_token").asString())
                        .status())
                .isEqualTo(200);

        GrantCounts after = sim.grantCounts();
        assertThat(after.refreshGrantsSucceeded() - before.refreshGrantsSucceeded())
                .isEqualTo(1);
        assertThat(after.refreshGrantsRejected() - before.refreshGrantsRejected())
                .isEqualTo(3);
        assertThat(after.familiesRevoked() - before.familiesRevoked()).isEqualTo(1);
        assertThat(sim.polls())
                .filteredOn(p -> "refresh_token".equals(p.grantType()))
                .allMatch(p -> p.userCode() == null);
    }

    @Test
    void revocationEndpointRevokesAccessAndRefreshTokens() throws Exception {
        JsonNode t = login("cli-app", "carol");
        String at = t.get("access_token").asString();
        Resp revoked = http.postForm("/oauth/revoke", form("token", at, "client_id", "cli-app"));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).isEqualTo("{}");
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + at).status())
                .isEqualTo(401);
        assertThat(http.get("/userinfo").status()).isEqualTo(401);

        JsonNode t2 = login("cli-app", "carol");
        assertThat(http.postForm(
                                "/oauth/revoke",
                                form("token", t2.get("refresh_token").asString()))
                        .status())
                .isEqualTo(200);
        assertThat(http.get(
                                "/userinfo",
                                "Authorization",
                                "Bearer " + t2.get("access_token").asString())
                        .status())
                .isEqualTo(401);
        assertThat(http.postForm("/oauth/revoke", form("token", "unknown")).status())
                .isEqualTo(200);
    }

    @Test
    void revokingALoginKillsEveryTokenOfThatUserOnly() throws Exception {
        GrantCounts before = sim.grantCounts();
        JsonNode a1 = login("cli-app", "erin");
        JsonNode a2 = login("other-app", "erin");
        JsonNode f = login("cli-app", "frank");
        assertThat(sim.revokeLogin("erin")).isEqualTo(2);
        for (JsonNode t : List.of(a1, a2)) {
            assertThat(http.get(
                                    "/userinfo",
                                    "Authorization",
                                    "Bearer " + t.get("access_token").asString())
                            .status())
                    .isEqualTo(401);
        }
        Resp refresh = http.postForm(
                "/oauth/token",
                form(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        a1.get("refresh_token").asString(),
                        "client_id",
                        "cli-app"));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.str("error")).isEqualTo("invalid_grant");
        assertThat(http.get(
                                "/userinfo",
                                "Authorization",
                                "Bearer " + f.get("access_token").asString())
                        .status())
                .isEqualTo(200);
        Resp viaHttp = http.postJson("/sim/revoke", Map.of("login", "frank"));
        assertThat(viaHttp.status()).isEqualTo(200);
        assertThat(viaHttp.json().get("families_revoked").asInt()).isEqualTo(1);
        assertThat(http.get(
                                "/userinfo",
                                "Authorization",
                                "Bearer " + f.get("access_token").asString())
                        .status())
                .isEqualTo(401);
        assertThat(sim.grantCounts().familiesRevoked() - before.familiesRevoked())
                .isEqualTo(3);
    }

    @Test
    void shortTokenLifetimeExpiresAccessTokens() throws Exception {
        sim.setTokenLifetimeSeconds(1);
        JsonNode t = login("cli-app", "dave");
        assertThat(t.get("expires_in").asInt()).isEqualTo(1);
        String at = t.get("access_token").asString();
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + at).status())
                .isEqualTo(200);
        Thread.sleep(1_100);
        assertThat(http.get("/userinfo", "Authorization", "Bearer " + at).status())
                .isEqualTo(401);
        // the refresh token outlives the access token
        Resp r = http.postForm(
                "/oauth/token",
                form(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        t.get("refresh_token").asString(),
                        "client_id",
                        "cli-app"));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void pollsAreRecordedWithServerSideTimestamps() throws Exception {
        Device d = authorize("cli-app", "openid");
        long before = System.currentTimeMillis();
        poll("cli-app", d.deviceCode());
        sim.approve(d.userCode(), null);
        poll("cli-app", d.deviceCode());
        long after = System.currentTimeMillis();

        List<Poll> mine = sim.polls().stream()
                .filter(p -> d.userCode().equals(p.userCode()))
                .toList();
        assertThat(mine).hasSize(2);
        assertThat(mine).allSatisfy(p -> {
            assertThat(p.atEpochMillis()).isBetween(before, after);
            assertThat(p.grantType()).isEqualTo(DEVICE_GRANT);
        });
        assertThat(mine.get(0).httpStatus()).isEqualTo(400);
        assertThat(mine.get(0).error()).isEqualTo("authorization_pending");
        assertThat(mine.get(1).httpStatus()).isEqualTo(200);
        assertThat(mine.get(1).error()).isNull();
        assertThat(mine.get(0).atEpochMillis()).isLessThanOrEqualTo(mine.get(1).atEpochMillis());

        JsonNode json = http.get("/sim/polls").json().get("polls");
        JsonNode last = null;
        for (JsonNode p : json)
            if (!p.get("user_code").isNull()
                    && d.userCode().equals(p.get("user_code").asString())) last = p;
        assertThat(last).isNotNull();
        assertThat(last.get("at").asLong()).isEqualTo(mine.get(1).atEpochMillis());
        assertThat(last.get("grant_type").asString()).isEqualTo(DEVICE_GRANT);
        assertThat(last.get("status").asInt()).isEqualTo(200);
        assertThat(last.get("error").isNull()).isTrue();
        assertThat(http.get("/sim/polls?since=" + (after + 60_000))
                        .json()
                        .get("polls")
                        .size())
                .isZero();

        assertThat(http.postForm("/sim/reset", Map.of()).status()).isEqualTo(200);
        assertThat(sim.polls()).isEmpty();
    }

    @Test
    void devicePageShowsTheCode() throws Exception {
        Resp page = http.get("/device");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).containsIgnoringCase("enter your code");
        Resp withCode = http.get("/device?user_code=ABCD-EFGH");
        assertThat(withCode.body()).contains("ABCD-EFGH");
        assertThat(http.get("/device?user_code=%3Cscript%3E").body()).doesNotContain("<script>");
    }

    @Test
    void unknownPathsAnswerAnOAuthStyleNotFound() throws Exception {
        Resp r = http.get("/no/such/path");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.str("error")).isEqualTo("not_found");
        assertThat(r.str("error_description")).isEqualTo("no such endpoint: GET /no/such/path");
        // a route's own 404 is kept
        assertThat(http.postJson("/sim/approve", Map.of("user_code", "ZZZZ-ZZZZ"))
                        .str("error"))
                .isEqualTo("unknown_user_code");
    }

    @Test
    void githubPathsDoNotExistOnTheOidcFlavor() throws Exception {
        assertThat(http.postForm("/login/device/code", form("client_id", "cli-app"))
                        .status())
                .isEqualTo(404);
        assertThat(http.postForm("/login/oauth/access_token", form("client_id", "cli-app"))
                        .status())
                .isEqualTo(404);
        assertThat(http.get("/user").status()).isEqualTo(404);
        assertThat(http.get("/api/v3/user").status()).isEqualTo(404);
        assertThat(http.delete("/applications/cli-app/grant", "{}").status()).isEqualTo(404);
        assertThat(http.get("/login/device").status()).isEqualTo(404);
    }
}
