package io.authrelay.server.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.authrelay.core.oauth.DeviceAuthorization;
import io.authrelay.core.oauth.DeviceFlowClient;
import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.oauth.OAuthTarget;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.ProviderUnavailableException;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.vault.Secret;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import net.minidev.json.JSONObject;

/**
 * RFC 8628 and RFC 6749 messages through Nimbus. Error bodies are recognised by their {@code error}
 * member whatever the status, because GitHub answers pending states with HTTP 200 and standard servers
 * with 400. The id_token is read without signature checks ({@link JwtClaims}).
 */
public final class NimbusDeviceFlowClient implements DeviceFlowClient {
    private final Clock clock;
    private final ProviderHttp http;

    public NimbusDeviceFlowClient(Clock clock, ProviderHttp http) {
        this.clock = clock;
        this.http = http;
    }

    @Override
    public DeviceAuthorization authorize(OAuthTarget provider) {
        OAuthSettings oauth = provider.oauth();
        HTTPRequest request = new DeviceAuthorizationRequest(
                        oauth.deviceEndpoint(), new ClientID(oauth.clientId()), scope(oauth))
                .toHTTPRequest();
        HTTPResponse response = send(provider, request);
        try {
            JSONObject json = response.getBodyAsJSONObject();
            if (json.containsKey("error") || response.getStatusCode() / 100 != 2) {
                throw new ProviderUnavailableException(
                        provider.name(),
                        "device authorization refused: "
                                + json.getOrDefault("error", "HTTP " + response.getStatusCode()));
            }
            DeviceAuthorizationSuccessResponse ok = DeviceAuthorizationSuccessResponse.parse(json);
            long interval = ok.getInterval() > 0 ? ok.getInterval() : 5;
            Secret deviceCode = new Secret(ok.getDeviceCode().getValue());
            SecretRedactor.register(deviceCode.value());
            return new DeviceAuthorization(
                    deviceCode,
                    ok.getUserCode().getValue(),
                    ok.getVerificationURI().toString(),
                    ok.getVerificationURIComplete() == null
                            ? null
                            : ok.getVerificationURIComplete().toString(),
                    Duration.ofSeconds(ok.getLifetime()),
                    Duration.ofSeconds(interval));
        } catch (ParseException e) {
            throw new ProviderUnavailableException(
                    provider.name(),
                    "the device authorization response is not valid (HTTP " + response.getStatusCode() + ")");
        }
    }

    @Override
    public ProviderResponse pollToken(OAuthTarget provider, Secret deviceCode) {
        OAuthSettings oauth = provider.oauth();
        return tokenCall(new TokenRequest(
                        oauth.tokenEndpoint(),
                        new ClientID(oauth.clientId()),
                        new DeviceCodeGrant(new DeviceCode(deviceCode.value())))
                .toHTTPRequest());
    }

    @Override
    public ProviderResponse refresh(OAuthTarget provider, Secret refreshToken) {
        OAuthSettings oauth = provider.oauth();
        return tokenCall(new TokenRequest(
                        oauth.tokenEndpoint(),
                        new ClientID(oauth.clientId()),
                        new RefreshTokenGrant(new RefreshToken(refreshToken.value())))
                .toHTTPRequest());
    }

    @Override
    public Identity identify(OAuthTarget provider, TokenSet tokens) {
        OAuthSettings oauth = provider.oauth();
        if (oauth.userinfoEndpoint() == null) {
            return new Identity(tokens.idTokenSubject() == null ? "unknown" : tokens.idTokenSubject(), tokens.scopes());
        }
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, oauth.userinfoEndpoint());
        request.setAuthorization("Bearer " + tokens.accessToken().value());
        HTTPResponse response = send(provider, request);
        try {
            if (response.getStatusCode() != 200) {
                throw new ProviderUnavailableException(
                        provider.name(), "identity endpoint answered HTTP " + response.getStatusCode());
            }
            JSONObject user = response.getBodyAsJSONObject();
            String account = firstString(user, "login", "preferred_username", "email", "sub");
            String scopes = response.getHeaderValue("X-OAuth-Scopes");
            return new Identity(
                    account == null ? "unknown" : account,
                    scopes != null
                            ? scopes.replace(",", " ").replaceAll("\\s+", " ").trim()
                            : tokens.scopes());
        } catch (ParseException e) {
            throw new ProviderUnavailableException(provider.name(), "identity response is not JSON");
        }
    }

    @Override
    public boolean revoke(OAuthTarget provider, Secret token) {
        OAuthSettings oauth = provider.oauth();
        if (oauth.revocationEndpoint() == null) return false;
        HTTPRequest request = new TokenRevocationRequest(
                        oauth.revocationEndpoint(),
                        new ClientID(oauth.clientId()),
                        new com.nimbusds.oauth2.sdk.token.BearerAccessToken(token.value()))
                .toHTTPRequest();
        return send(provider, request).getStatusCode() / 100 == 2;
    }

    private ProviderResponse tokenCall(HTTPRequest request) {
        HTTPResponse response;
        try {
            response = http.send(request);
        } catch (IOException e) {
            return new ProviderResponse.Transient(ProviderHttp.describe(e), null);
        }
        int status = response.getStatusCode();
        if (status == 429 || status >= 500) return new ProviderResponse.Transient("HTTP " + status, status);
        JSONObject json;
        try {
            json = response.getBodyAsJSONObject();
        } catch (ParseException e) {
            return new ProviderResponse.Transient("the response is not JSON (HTTP " + status + ")", status);
        }
        if (json.containsKey("error")) {
            Object description = json.get("error_description");
            return new ProviderResponse.OAuthError(
                    String.valueOf(json.get("error")),
                    description == null ? null : SecretRedactor.redact(description.toString()),
                    status);
        }
        if (status != 200) return new ProviderResponse.OAuthError("http_" + status, null, status);
        try {
            return new ProviderResponse.Tokens(
                    toTokenSet(AccessTokenResponse.parse(json).getTokens(), json), status);
        } catch (ParseException e) {
            return new ProviderResponse.Transient("the token response is malformed", status);
        }
    }

    private TokenSet toTokenSet(Tokens tokens, JSONObject json) {
        AccessToken access = tokens.getAccessToken();
        Secret accessSecret = new Secret(access.getValue());
        SecretRedactor.register(accessSecret.value());
        Secret refreshSecret = null;
        if (tokens.getRefreshToken() != null) {
            refreshSecret = new Secret(tokens.getRefreshToken().getValue());
            SecretRedactor.register(refreshSecret.value());
        }
        Instant expiresAt = access.getLifetime() > 0 ? clock.instant().plusSeconds(access.getLifetime()) : null;
        String scopes = access.getScope() == null ? null : access.getScope().toString();
        return new TokenSet(accessSecret, refreshSecret, expiresAt, scopes, JwtClaims.subject(json.get("id_token")));
    }

    private HTTPResponse send(OAuthTarget provider, HTTPRequest request) {
        try {
            HTTPResponse response = http.send(request);
            if (response.getStatusCode() >= 500 || response.getStatusCode() == 429) {
                throw new ProviderUnavailableException(provider.name(), "HTTP " + response.getStatusCode());
            }
            return response;
        } catch (IOException e) {
            throw new ProviderUnavailableException(provider.name(), ProviderHttp.describe(e));
        }
    }

    private static Scope scope(OAuthSettings oauth) {
        return oauth.scopes().isBlank() ? null : Scope.parse(oauth.scopes());
    }

    private static String firstString(JSONObject json, String... keys) {
        for (String key : keys) {
            Object value = json.get(key);
            if (value != null && !value.toString().isBlank()) return value.toString();
        }
        return null;
    }
}
