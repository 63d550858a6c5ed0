package io.authrelay.server.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.vault.Secret;
import java.time.Instant;
import java.util.Map;
import net.minidev.json.JSONObject;

/**
 * Reads an AI CLI vendor's token endpoint answer. Vendors word errors two ways: RFC 6749's top-level {@code error}
 * string (Anthropic, Google), or an object {@code error:{code,message}} (OpenAI); both become an OAuth error with that
 * code. 429, 5xx and bodies that are not a JSON object are transient. A success names its expiry by
 * {@code expires_in}, else by the access token's own {@code exp}, else not at all, and carries a refresh token only
 * when the vendor rotated it. No part of the body reaches a message but a redacted error description.
 */
final class VendorTokenAnswer {
    private VendorTokenAnswer() {}

    static ProviderResponse read(HTTPResponse response, Instant now) {
        int status = response.getStatusCode();
        if (status == 429 || status >= 500) return new ProviderResponse.Transient("HTTP " + status, status);
        JSONObject json;
        try {
            json = response.getBodyAsJSONObject();
        } catch (ParseException e) {
            return new ProviderResponse.Transient("the response is not JSON (HTTP " + status + ")", status);
        }
        Object error = json.get("error");
        if (error != null) return oauthError(error, json.get("error_description"), status);
        if (status != 200) return new ProviderResponse.OAuthError("http_" + status, null, status);
        return tokens(json, status, now);
    }

    private static ProviderResponse oauthError(Object error, Object description, int status) {
        String code;
        Object message = description;
        if (error instanceof Map<?, ?> details) {
            Object c = details.get("code");
            code = c != null ? c.toString() : String.valueOf(details.get("type"));
            if (message == null) message = details.get("message");
        } else {
            code = error.toString();
        }
        return new ProviderResponse.OAuthError(
                code, message == null ? null : SecretRedactor.redact(message.toString()), status);
    }

    private static ProviderResponse tokens(JSONObject json, int status, Instant now) {
        String access = nonBlank(json.get("access_token"));
        if (access == null) return new ProviderResponse.Transient("the token response has no access_token", status);
        SecretRedactor.register(access);
        String refresh = nonBlank(json.get("refresh_token"));
        if (refresh != null) SecretRedactor.register(refresh);
        Object scope = json.get("scope");
        return new ProviderResponse.Tokens(
                new TokenSet(
                        new Secret(access),
                        refresh == null ? null : new Secret(refresh),
                        expiry(json.get("expires_in"), access, now),
                        scope == null ? null : scope.toString(),
                        JwtClaims.subject(json.get("id_token"))),
                status);
    }

    private static Instant expiry(Object expiresIn, String accessToken, Instant now) {
        Long seconds = switch (expiresIn) {
            case Number n -> n.longValue();
            case String s when s.strip().matches("\\d{1,10}") -> Long.parseLong(s.strip());
            case null, default -> null;
        };
        return seconds != null ? now.plusSeconds(seconds) : JwtClaims.expiry(accessToken);
    }

    private static String nonBlank(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
