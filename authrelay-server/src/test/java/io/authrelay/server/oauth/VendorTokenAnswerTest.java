package io.authrelay.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.TokenSet;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** How a vendor's answer is read: error shapes, and where the expiry comes from when expires_in is missing. */
class VendorTokenAnswerTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static ProviderResponse read(int status, String body) {
        HTTPResponse response = new HTTPResponse(status);
        response.setEntityContentType(ContentType.APPLICATION_JSON);
        response.setBody(body);
        return VendorTokenAnswer.read(response, NOW);
    }

    private static String jwtExpiringAt(long epochSeconds) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + b64.encodeToString(("{\"exp\":" + epochSeconds + "}").getBytes()) + ".";
    }

    private static TokenSet tokens(ProviderResponse r) {
        assertThat(r).isInstanceOf(ProviderResponse.Tokens.class);
        return ((ProviderResponse.Tokens) r).tokens();
    }

    @Test
    void withoutExpiresInTheAccessTokensOwnExpIsTheExpiry() {
        long exp = NOW.plusSeconds(900).getEpochSecond();
        TokenSet t = tokens(read(200, "{\"access_token\":\"" + jwtExpiringAt(exp) + "\"}"));
        assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(exp));
        assertThat(t.refreshToken()).isNull();
    }

    @Test
    void anOpaqueTokenWithoutExpiresInHasNoExpiry() {
        assertThat(tokens(read(200, "{\"access_token\":\"opaque-access-1\"}")).expiresAt())
                .isNull();
    }

    @Test
    void expiresInWinsOverTheJwtAndMayBeAString() {
        String jwt = jwtExpiringAt(NOW.plusSeconds(5).getEpochSecond());
        assertThat(tokens(read(200, "{\"access_token\":\"" + jwt + "\",\"expires_in\":\"60\"}"))
                        .expiresAt())
                .isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void anEmptyRefreshTokenIsNone() {
        TokenSet t = tokens(read(200, "{\"access_token\":\"opaque-access-1\",\"refresh_token\":\"\"}"));
        assertThat(t.refreshToken()).isNull();
    }

    @Test
    void bothErrorShapesGiveTheirCode() {
        assertThat(
                        read(
                                400,
                                "{\"error\":{\"message\":\"used\",\"type\":\"invalid_request_error\",\"code\":\"refresh_token_reused\"}}"))
                .isEqualTo(new ProviderResponse.OAuthError("refresh_token_reused", "used", 400));
        assertThat(read(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}"))
                .isEqualTo(new ProviderResponse.OAuthError("invalid_grant", "Bad Request", 400));
        assertThat(read(401, "{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\"}}"))
                .isEqualTo(new ProviderResponse.OAuthError("invalid_request_error", "no", 401));
    }

    @Test
    void aSuccessWithoutAccessTokenOrANonObjectBodyIsTransient() {
        assertThat(read(200, "{\"token_type\":\"Bearer\"}")).isInstanceOf(ProviderResponse.Transient.class);
        assertThat(read(200, "[1]")).isInstanceOf(ProviderResponse.Transient.class);
        assertThat(read(503, "{\"error\":\"unavailable\"}")).isInstanceOf(ProviderResponse.Transient.class);
        assertThat(read(404, "{}")).isEqualTo(new ProviderResponse.OAuthError("http_404", null, 404));
    }
}
