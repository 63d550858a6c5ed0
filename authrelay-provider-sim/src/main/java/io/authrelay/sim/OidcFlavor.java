package io.authrelay.sim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A generic OpenID Connect provider with the device authorization grant; answers are JSON, errors RFC 6749 ones. */
final class OidcFlavor extends Flavor {
    private static final String DISCOVERY = "/.well-known/openid-configuration";
    private static final String AUTHORIZE = "/oauth/authorize";
    private static final String DEVICE_AUTHORIZATION = "/oauth/device_authorization";
    private static final String TOKEN = "/oauth/token";
    private static final String USERINFO = "/userinfo";
    private static final String REVOKE = "/oauth/revoke";
    private static final String JWKS = "/jwks";
    private static final String DEVICE_PAGE = "/device";
    /** Lifetime of the id_token that comes with a token that never expires. */
    private static final int NON_EXPIRING_ID_TOKEN_LIFETIME_SECONDS = 3600;

    OidcFlavor() {
        super("oidc", 3600);
    }

    @Override
    void addRoutes(RoutesConfig r, ProviderSimulator sim) {
        GrantState grants = sim.grants();
        r.get(DISCOVERY, ctx -> Wire.json(ctx, 200, discovery(sim.issuer())));
        r.post(DEVICE_AUTHORIZATION, sim.deviceFlow()::deviceAuthorization);
        r.post(TOKEN, sim.deviceFlow()::token);
        r.get(USERINFO, ctx -> userinfo(ctx, grants));
        r.post(USERINFO, ctx -> userinfo(ctx, grants));
        r.post(REVOKE, ctx -> revoke(ctx, grants));
        Map<String, Object> jwks = sim.idTokens().publicKeys(); // at start, so the first token is not slowed by keygen
        r.get(JWKS, ctx -> Wire.json(ctx, 200, jwks));
        r.get(
                AUTHORIZE,
                ctx -> Wire.error(
                        ctx,
                        400,
                        "unsupported_response_type",
                        "this simulator implements only the device authorization grant"));
        r.get(DEVICE_PAGE, this::showDevicePage);
    }

    private static Map<String, Object> discovery(String issuer) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", issuer + AUTHORIZE);
        d.put("device_authorization_endpoint", issuer + DEVICE_AUTHORIZATION);
        d.put("token_endpoint", issuer + TOKEN);
        d.put("userinfo_endpoint", issuer + USERINFO);
        d.put("revocation_endpoint", issuer + REVOKE);
        d.put("jwks_uri", issuer + JWKS);
        d.put("grant_types_supported", List.of(DeviceFlowEndpoints.DEVICE_GRANT, DeviceFlowEndpoints.REFRESH_GRANT));
        d.put("response_types_supported", List.of("code"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        d.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_post", "client_secret_basic"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "preferred_username", "email"));
        return d;
    }

    private static void userinfo(Context ctx, GrantState grants) {
        String token = Requests.bearer(ctx.header("Authorization"), false);
        Tokens.Access a = grants.validAccessToken(token);
        if (a == null) {
            if (token == null) {
                ctx.header("WWW-Authenticate", "Bearer");
                Wire.error(ctx, 401, "invalid_request", "no bearer token");
            } else {
                ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                Wire.error(ctx, 401, "invalid_token", "the access token is unknown, expired or revoked");
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", a.family.login);
        body.put("preferred_username", a.family.login);
        body.put("email", a.family.login + "@example.test");
        Wire.json(ctx, 200, body);
    }

    /** RFC 7009 token revocation. */
    private static void revoke(Context ctx, GrantState grants) {
        Map<String, String> p = Requests.params(ctx);
        String clientId = Requests.clientId(ctx, p);
        if (clientId != null && !grants.clientKnown(clientId)) {
            Wire.error(ctx, 401, "invalid_client", "unknown client_id");
            return;
        }
        String token = p.get("token");
        if (token == null) {
            Wire.error(ctx, 400, "invalid_request", "token is required");
            return;
        }
        grants.revokeToken(token, clientId);
        Wire.json(ctx, 200, Map.of()); // RFC 7009: 200 also for unknown tokens
    }

    @Override
    Map<String, Object> notFound(Context ctx) {
        return Map.of(
                "error", "not_found", "error_description", "no such endpoint: " + ctx.method() + " " + ctx.path());
    }

    @Override
    void addVerificationUris(Map<String, Object> answer, String baseUrl, String userCode) {
        answer.put("verification_uri", baseUrl + DEVICE_PAGE);
        answer.put("verification_uri_complete", baseUrl + DEVICE_PAGE + "?user_code=" + userCode);
    }

    @Override
    String newAccessToken() {
        return Ids.alnum(43);
    }

    @Override
    String newRefreshToken() {
        return Ids.alnum(64);
    }

    @Override
    int refreshTokenLifetimeSeconds() {
        return 0;
    }

    @Override
    Map<String, Object> tokenResponse(IssuedTokens t, ProviderSimulator sim) {
        int lifetime = t.lifetimeSeconds();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", t.accessToken());
        body.put("token_type", "Bearer");
        if (lifetime > 0) {
            body.put("expires_in", lifetime);
            body.put("refresh_token", t.refreshToken());
        }
        body.put("scope", String.join(" ", t.family().scopes()));
        int idTokenLifetime = lifetime > 0 ? lifetime : NON_EXPIRING_ID_TOKEN_LIFETIME_SECONDS;
        body.put("id_token", sim.idTokens().sign(sim.issuer(), t.family(), t.issuedAtMillis(), idTokenLifetime));
        return body;
    }

    @Override
    int errorStatus(OAuthError error, boolean atTokenEndpoint) {
        return error.standardStatus();
    }

    @Override
    void addErrorDetails(Map<String, Object> body, OAuthError error) {
        // RFC 6749 errors carry nothing more; a slow_down's new interval is the client's to work out
    }

    @Override
    WireFormat answerFormat(Context ctx) {
        return WireFormat.JSON;
    }
}
