package io.authrelay.sim;

import static io.authrelay.sim.Http.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.authrelay.sim.Http.Resp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The vendors' token endpoints: body formats, rotation and reuse detection, grant counts, faults. */
class VendorTokenEndpointTest {

    @RegisterExtension
    static final SimulatorForTests running = SimulatorForTests.resetEachTest(SimOptions.defaults(Flavor.GITHUB));

    static final ProviderSimulator sim = running.sim;
    static final Http http = running.http;

    static JsonNode mint(String json) throws IOException {
        Resp r = http.postJson("/sim/vendor-credentials", json);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static Resp refreshJson(Vendor v, String refreshToken) throws IOException {
        return http.postJson(
                v.tokenPath(),
                Map.of("client_id", v.clientId(), "grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    static Resp refreshGoogle(String refreshToken, String secret) throws IOException {
        return http.postForm(
                Vendor.GOOGLE.tokenPath(),
                form(
                        "client_id",
                        Vendor.GOOGLE.clientId(),
                        "client_secret",
                        secret,
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        refreshToken));
    }

    static int grantsOf(String credentialId) throws IOException {
        for (JsonNode c : http.get("/sim/vendor-credentials").json().get("credentials")) {
            if (c.get("credential_id").asString().equals(credentialId))
                return c.get("refresh_grants").asInt();
        }
        throw new AssertionError("no credential " + credentialId);
    }

    @Test
    void openAiRotatesAndAReusedRefreshTokenRevokesTheLoginWithOpenAisErrorCode() throws Exception {
        JsonNode minted = mint("{\"vendor\":\"openai\"}");
        String first = minted.get("refresh_token").asString();
        JWTClaimsSet idClaims =
                SignedJWT.parse(minted.get("id_token").asString()).getJWTClaimsSet();
        assertThat(idClaims.getJSONObjectClaim("https://api.openai.com/auth"))
                .containsEntry("chatgpt_account_id", minted.get("account_id").asString());

        Resp ok = refreshJson(Vendor.OPENAI, first);
        assertThat(ok.status()).isEqualTo(200);
        String second = ok.str("refresh_token");
        assertThat(second).isNotBlank().isNotEqualTo(first);
        JWTClaimsSet access = SignedJWT.parse(ok.str("access_token")).getJWTClaimsSet();
        assertThat(access.getExpirationTime().getTime() / 1000
                        - access.getIssueTime().getTime() / 1000)
                .isEqualTo(ok.json().get("expires_in").asLong());

        Resp reused = refreshJson(Vendor.OPENAI, first);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().at("/error/code").asString()).isEqualTo("refresh_token_reused");
        Resp afterReuse = refreshJson(Vendor.OPENAI, second);
        assertThat(afterReuse.json().at("/error/code").asString()).isEqualTo("refresh_token_invalidated");
        assertThat(grantsOf(minted.get("credential_id").asString())).isEqualTo(1);
    }

    /** What a storm of uncoordinated refreshers does to a rotating login: one wins, the reuse revokes the login. */
    @Test
    void concurrentRefreshesWithOneRotatingTokenGrantOnceAndRevokeTheLogin() throws Exception {
        JsonNode minted = mint("{\"vendor\":\"openai\"}");
        String token = minted.get("refresh_token").asString();
        List<Callable<Resp>> storm = new ArrayList<>();
        for (int i = 0; i < 8; i++) storm.add(() -> refreshJson(Vendor.OPENAI, token));
        List<Resp> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Resp> f : pool.invokeAll(storm)) answers.add(f.get());
        }
        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers)
                .filteredOn(r -> r.status() != 200)
                .extracting(r -> r.json().at("/error/code").asString())
                .hasSize(7)
                .contains("refresh_token_reused")
                .allMatch(code -> code.equals("refresh_token_reused") || code.equals("refresh_token_invalidated"));
        assertThat(grantsOf(minted.get("credential_id").asString())).isEqualTo(1);
    }

    @Test
    void anthropicReusedTokenIsAPlainInvalidGrant() throws Exception {
        JsonNode minted = mint("{\"vendor\":\"anthropic\"}");
        String first = minted.get("refresh_token").asString();
        assertThat(minted.get("access_token").asString()).startsWith("sk-ant-oat01-");
        assertThat(refreshJson(Vendor.ANTHROPIC, first).status()).isEqualTo(200);
        Resp reused = refreshJson(Vendor.ANTHROPIC, first);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.str("error")).isEqualTo("invalid_grant");
    }

    @Test
    void aNonRotatingCredentialAnswersWithoutRefreshTokenAndTheOldOneKeepsWorking() throws Exception {
        JsonNode minted = mint("{\"vendor\":\"anthropic\",\"rotating\":false}");
        String token = minted.get("refresh_token").asString();
        for (int i = 0; i < 3; i++) {
            Resp r = refreshJson(Vendor.ANTHROPIC, token);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().has("refresh_token")).isFalse();
            assertThat(r.json().get("expires_in").asInt()).isEqualTo(Vendor.ANTHROPIC.accessTokenLifetimeSeconds());
        }
        assertThat(grantsOf(minted.get("credential_id").asString())).isEqualTo(3);
    }

    @Test
    void googleTakesAFormWithTheInstalledAppSecretAndNeverRotates() throws Exception {
        JsonNode minted = mint("{\"vendor\":\"google\"}");
        String token = minted.get("refresh_token").asString();
        Resp ok = refreshGoogle(token, Vendor.GOOGLE.clientSecret());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.str("access_token")).startsWith("ya29.");
        assertThat(ok.json().has("refresh_token")).isFalse();
        Resp wrongSecret = refreshGoogle(token, "not-the-secret");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.str("error")).isEqualTo("invalid_client");
        assertThat(refreshGoogle(token, Vendor.GOOGLE.clientSecret()).status()).isEqualTo(200);
    }

    @Test
    void aTokenOfAnotherVendorOrAnUnknownOneIsAnInvalidGrant() throws Exception {
        String openAiToken =
                mint("{\"vendor\":\"openai\"}").get("refresh_token").asString();
        assertThat(refreshJson(Vendor.ANTHROPIC, openAiToken).str("error")).isEqualTo("invalid_grant");
        assertThat(refreshJson(Vendor.ANTHROPIC, "made-up").str("error")).isEqualTo("invalid_grant");
        // and it was not spent there
        assertThat(refreshJson(Vendor.OPENAI, openAiToken).status()).isEqualTo(200);
    }

    @Test
    void theExistingFaultsApplyToVendorTokenEndpoints() throws Exception {
        String token = mint("{\"vendor\":\"openai\"}").get("refresh_token").asString();
        sim.setFaults(Faults.none().withErrorRate(1.0));
        assertThat(refreshJson(Vendor.OPENAI, token).status()).isIn(500, 502, 503);
        sim.setFaults(Faults.none().withGarbageRate(1.0));
        Resp garbage = refreshJson(Vendor.OPENAI, token);
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(garbage.body()).doesNotStartWith("{");
        sim.setFaults(Faults.none());
        // faults answer before the grant: the token was never spent
        assertThat(refreshJson(Vendor.OPENAI, token).status()).isEqualTo(200);
        assertThat(sim.polls()).extracting(Poll::error).containsExactly("server_error", "garbage", null);
    }

    @Test
    void theRequestLogKeepsParameterNamesButBlanksSecretValues() throws Exception {
        String token = mint("{\"vendor\":\"openai\"}").get("refresh_token").asString();
        refreshJson(Vendor.OPENAI, token);
        refreshJson(Vendor.OPENAI, "");
        assertThat(sim.apiRequests())
                .extracting(a -> a.params().get("refresh_token"))
                .containsExactly(ApiRequestLog.REDACTED, "");
        assertThat(http.get("/sim/api-requests").body()).doesNotContain(token);
    }

    @Test
    void accessOnlyRefreshAnswersTheCredentialsNewAccessTokenAndNoRefreshToken() throws Exception {
        JsonNode minted = mint("{\"vendor\":\"openai\",\"expires_in\":-60}");
        String id = minted.get("credential_id").asString();
        JWTClaimsSet expired =
                SignedJWT.parse(minted.get("access_token").asString()).getJWTClaimsSet();
        assertThat(expired.getExpirationTime()).isInThePast();
        Resp r = http.postJson(
                "/sim/vendor-credentials/" + id + "/access-only-refresh",
                Map.of("grant_type", "refresh_token", "refresh_token", ""));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().has("refresh_token")).isFalse();
        assertThat(SignedJWT.parse(r.str("access_token")).getJWTClaimsSet().getExpirationTime())
                .isInTheFuture();
        assertThat(sim.vendorRefreshGrants(id)).isEqualTo(1);
        // the credential's own refresh token was rotated by the broker's refresh, not spent by the caller
        assertThat(refreshJson(Vendor.OPENAI, minted.get("refresh_token").asString())
                        .status())
                .isEqualTo(400);
    }
}
