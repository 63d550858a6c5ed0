package io.authrelay.server.oauth;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.authrelay.core.clilogin.CliRefreshClient;
import io.authrelay.core.clilogin.RefreshSpec;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.vault.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;

/**
 * Refreshes an AI CLI's captured credential at its vendor, in the body format its driver names: JSON (OpenAI,
 * Anthropic) or a form (Google, with its installed app's published secret). Requests that never connected are retried
 * by {@link ProviderHttp}; the answer is read by {@link VendorTokenAnswer}.
 */
public final class CliTokenRefresher implements CliRefreshClient {
    private final Clock clock;
    private final ProviderHttp http;

    public CliTokenRefresher(Clock clock, ProviderHttp http) {
        this.clock = clock;
        this.http = http;
    }

    /**
     * @throws io.authrelay.core.DomainException when the driver's token endpoint is not https (plain http only to a
     *     literal loopback address): the refresh token is never sent there
     */
    @Override
    public ProviderResponse refresh(RefreshSpec spec, Secret refreshToken) {
        URI endpoint = OAuthEndpoints.secure("the driver's token_endpoint", URI.create(spec.tokenEndpoint()));
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
        Map<String, String> body = body(spec, refreshToken);
        if (RefreshSpec.FORM.equals(spec.bodyFormat())) {
            request.setEntityContentType(ContentType.APPLICATION_URLENCODED);
            Map<String, List<String>> form = new LinkedHashMap<>();
            body.forEach((k, v) -> form.put(k, List.of(v)));
            request.setBody(URLUtils.serializeParameters(form));
        } else if (RefreshSpec.JSON.equals(spec.bodyFormat())) {
            request.setEntityContentType(ContentType.APPLICATION_JSON);
            request.setBody(new JSONObject(body).toJSONString());
        } else {
            throw new IllegalArgumentException("unknown refresh body format: " + spec.bodyFormat());
        }
        try {
            return VendorTokenAnswer.read(http.send(request), clock.instant());
        } catch (IOException e) {
            return new ProviderResponse.Transient(ProviderHttp.describe(e), null);
        }
    }

    private static Map<String, String> body(RefreshSpec spec, Secret refreshToken) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("client_id", spec.clientId());
        if (spec.clientSecret() != null) body.put("client_secret", spec.clientSecret());
        body.put("grant_type", "refresh_token");
        body.put("refresh_token", refreshToken.value());
        if (spec.scope() != null && !spec.scope().isBlank()) body.put("scope", spec.scope());
        return body;
    }
}
