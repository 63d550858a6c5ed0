package io.authrelay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.authrelay.sim.Http.Resp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Codex's device login against the OpenAI stand-in, and the fake model APIs' request log, over plain HTTP. */
class VendorStandInsTest {

    @RegisterExtension
    static final SimulatorForTests running =
            SimulatorForTests.resetEachTest(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(0));

    static final ProviderSimulator sim = running.sim;
    static final Http http = running.http;

    @Test
    void codexDeviceLoginPendsUntilApprovedThenTradesItsCodeForTokens() throws Exception {
        String clientId = Vendor.OPENAI.clientId();
        Resp code = http.postJson("/openai/api/accounts/deviceauth/usercode", Map.of("client_id", clientId));
        assertThat(code.status()).isEqualTo(200);
        String deviceAuthId = code.str("device_auth_id");
        String userCode = code.str("user_code");
        Map<String, String> poll = Map.of("device_auth_id", deviceAuthId, "user_code", userCode);

        assertThat(http.postJson("/openai/api/accounts/deviceauth/token", poll).status())
                .isEqualTo(403);
        assertThat(http.postForm("/sim/approve", Http.form("user_code", userCode, "login", "alice"))
                        .status())
                .isEqualTo(200);
        Resp approved = http.postJson("/openai/api/accounts/deviceauth/token", poll);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(Pkce.s256(approved.str("code_verifier"))).isEqualTo(approved.str("code_challenge"));
        assertThat(http.postJson("/openai/api/accounts/deviceauth/token", poll).status())
                .as("the code is used up")
                .isEqualTo(400);

        Resp tokens = http.postForm(
                "/openai/oauth/token",
                Http.form(
                        "grant_type",
                        "authorization_code",
                        "client_id",
                        clientId,
                        "code",
                        approved.str("authorization_code"),
                        "redirect_uri",
                        sim.baseUrl() + "/openai/deviceauth/callback",
                        "code_verifier",
                        approved.str("code_verifier")));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        var claims = SignedJWT.parse(tokens.str("id_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.test");
        assertThat(claims.getJSONObjectClaim("https://api.openai.com/auth")).containsKey("chatgpt_account_id");
        assertThat(SignedJWT.parse(tokens.str("access_token")).getJWTClaimsSet().getExpirationTime())
                .isInTheFuture();
        assertThat(tokens.str("refresh_token")).isNotBlank();
    }

    @Test
    void theFakeApisRecordTheCredentialHeadersAndRefuseRequestsWithout() throws Exception {
        Resp claude =
                http.postJson("/anthropic/v1/messages?beta=true", "{\"stream\":true}", "Authorization", "Bearer tok-a");
        assertThat(claude.status()).isEqualTo(200);
        assertThat(claude.body()).contains("event: message_stop");
        Resp gemini = http.postJson("/google/v1internal:loadCodeAssist", "{}", "x-api-key", "key-g");
        assertThat(gemini.json().get("cloudaicompanionProject").asString()).isEqualTo(CodeAssistAnswers.PROJECT);
        Resp codex = http.postJson(
                "/openai/backend-api/codex/responses",
                "{}",
                "Authorization",
                "Bearer tok-o",
                "ChatGPT-Account-ID",
                "acct-9");
        assertThat(codex.body()).contains("event: response.completed");
        assertThat(http.postJson("/openai/v1/responses", "{}").status()).isEqualTo(401);

        JsonNode recorded = http.get("/sim/api-requests").json().get("requests");
        assertThat(recorded).hasSize(4);
        assertThat(recorded.get(0).get("path").asString()).isEqualTo("/anthropic/v1/messages?beta=true");
        assertThat(recorded.get(0).get("authorization").asString()).isEqualTo("Bearer tok-a");
        assertThat(recorded.get(1).get("x_api_key").asString()).isEqualTo("key-g");
        assertThat(recorded.get(2).get("chatgpt_account_id").asString()).isEqualTo("acct-9");
        assertThat(recorded.get(3).get("authorization").isNull()).isTrue();

        assertThat(http.delete("/sim/api-requests", "").status()).isEqualTo(200);
        assertThat(sim.apiRequests()).isEmpty();
    }

    @Test
    void unknownVendorPathsAreTheVendorsOwn404() throws Exception {
        Resp gemini = http.get("/google/v1internal:streamGenerateContent", "Authorization", "Bearer t");
        assertThat(gemini.status()).isEqualTo(404);
        assertThat(gemini.json().at("/error/status").asString()).isEqualTo("NOT_FOUND");
        Resp claude = http.postJson("/anthropic/v1/complete", "{}", "x-api-key", "k");
        assertThat(claude.json().at("/error/type").asString()).isEqualTo("not_found_error");
        assertThat(sim.apiRequests()).hasSize(2);
    }

    @Test
    void vendorRoutesLeaveTheFlavoursOwnEndpointsAlone() throws Exception {
        assertThat(http.get("/.well-known/openid-configuration").status()).isEqualTo(200);
        assertThat(http.get("/openai/codex/device?user_code=ABCD-EFGH").body()).contains("ABCD-EFGH");
    }
}
