package io.authrelay.core.oauth;

import io.authrelay.core.DomainException;
import java.net.URI;

/**
 * Where and as whom a device-flow provider is asked for tokens. Endpoints are resolved once, when the
 * provider is added (from defaults or OIDC discovery), so a login never depends on discovery being up.
 * {@code userinfoEndpoint} and {@code revocationEndpoint} may be null when the server has none.
 */
public record OAuthSettings(
        String clientId,
        String scopes,
        URI issuer,
        URI deviceEndpoint,
        URI tokenEndpoint,
        URI userinfoEndpoint,
        URI revocationEndpoint) {
    public OAuthSettings {
        if (clientId == null || clientId.isBlank() || clientId.length() > 256) {
            throw DomainException.invalid(
                    "invalid_client_id", "client id is required (1-256 characters)", "pass --client-id");
        }
        requireHttp("device endpoint", deviceEndpoint);
        requireHttp("token endpoint", tokenEndpoint);
        if (userinfoEndpoint != null) requireHttp("userinfo endpoint", userinfoEndpoint);
        if (revocationEndpoint != null) requireHttp("revocation endpoint", revocationEndpoint);
        scopes = scopes == null ? "" : scopes.trim();
    }

    private static void requireHttp(String what, URI uri) {
        if (uri == null
                || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw DomainException.invalid("invalid_endpoint", what + " must be an http(s) URL", null);
        }
    }
}
