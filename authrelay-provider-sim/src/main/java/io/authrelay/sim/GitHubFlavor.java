package io.authrelay.sim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * GitHub's device flow and the REST endpoints a client uses with its tokens. Like GitHub, the token endpoint answers
 * OAuth errors with HTTP 200, and answers form-encoded unless the client asks for JSON.
 */
final class GitHubFlavor extends Flavor {
    private static final String DEVICE_PAGE = "/login/device";
    /** github.com serves the REST API at the root, GitHub Enterprise Server under /api/v3. */
    private static final List<String> REST_ROOTS = List.of("", "/api/v3");
    /** GitHub App user-to-server refresh tokens live six months. */
    private static final int REFRESH_TOKEN_LIFETIME_SECONDS = 15_897_600;

    private static final String REST_DOCS = "https://docs.github.com/rest";
    private static final String DEVICE_FLOW_ERROR_DOCS =
            "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";

    GitHubFlavor() {
        super("github", 0); // OAuth App tokens never expire; a GitHub App's last 8 hours: set a lifetime for those
    }

    @Override
    void addRoutes(RoutesConfig r, ProviderSimulator sim) {
        GrantState grants = sim.grants();
        r.post("/login/device/code", sim.deviceFlow()::deviceAuthorization);
        r.post("/login/oauth/access_token", sim.deviceFlow()::token);
        for (String root : REST_ROOTS) {
            r.get(root + "/user", ctx -> user(ctx, grants));
            r.delete(root + "/applications/{client_id}/grant", ctx -> revoke(ctx, grants, true));
            r.delete(root + "/applications/{client_id}/token", ctx -> revoke(ctx, grants, false));
        }
        r.get(DEVICE_PAGE, this::showDevicePage);
    }

    private static void user(Context ctx, GrantState grants) {
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank()) {
            Wire.json(ctx, 401, restError("Requires authentication"));
            return;
        }
        Tokens.Access a = grants.validAccessToken(Requests.bearer(auth, true));
        if (a == null) {
            Wire.json(ctx, 401, restError("Bad credentials"));
            return;
        }
        String login = a.family.login;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("login", login);
        body.put("id", Math.floorMod(login.hashCode(), 90_000_000L) + 1_000_000L); // stable per login, GitHub-sized
        body.put("name", login);
        body.put("type", "User");
        ctx.header("X-OAuth-Scopes", String.join(", ", a.family.scopes()));
        ctx.header("X-Accepted-OAuth-Scopes", "");
        Wire.json(ctx, 200, body);
    }

    /**
     * DELETE /applications/{client_id}/grant revokes every token the user gave the app; .../token revokes the one
     * access token. The app authenticates with HTTP Basic and names the token in a JSON body.
     */
    private static void revoke(Context ctx, GrantState grants, boolean wholeGrant) {
        if (!Requests.isBasic(ctx.header("Authorization"))) {
            Wire.json(ctx, 401, restError("Requires authentication"));
            return;
        }
        String clientId = ctx.pathParam("client_id");
        String token = null;
        try {
            JsonNode body = Wire.MAPPER.readTree(ctx.bodyAsBytes());
            if (body != null && body.isObject()) {
                JsonNode t = body.get("access_token");
                if (t != null && t.isValueNode()) token = t.asString();
            }
        } catch (JacksonException e) {
            Wire.json(ctx, 400, Map.of("message", "Problems parsing JSON"));
            return;
        }
        Tokens.Access a = grants.accessToken(token);
        if (a == null || !a.family.clientId.equals(clientId)) {
            Wire.json(ctx, 404, restError("Not Found"));
            return;
        }
        if (wholeGrant) {
            grants.revokeAuthorization(clientId, a.family.login);
        } else {
            a.revoked = true;
        }
        ctx.status(204);
    }

    private static Map<String, Object> restError(String message) {
        return Map.of("message", message, "documentation_url", REST_DOCS);
    }

    @Override
    Map<String, Object> notFound(Context ctx) {
        return restError("Not Found");
    }

    @Override
    void addVerificationUris(Map<String, Object> answer, String baseUrl, String userCode) {
        answer.put("verification_uri", baseUrl + DEVICE_PAGE);
    }

    @Override
    String newAccessToken() {
        return "gho_" + Ids.alnum(36);
    }

    @Override
    String newRefreshToken() {
        return "ghr_" + Ids.alnum(76);
    }

    @Override
    int refreshTokenLifetimeSeconds() {
        return REFRESH_TOKEN_LIFETIME_SECONDS;
    }

    @Override
    Map<String, Object> tokenResponse(IssuedTokens t, ProviderSimulator sim) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", t.accessToken());
        if (t.lifetimeSeconds() > 0) {
            body.put("expires_in", t.lifetimeSeconds());
            body.put("refresh_token", t.refreshToken());
            body.put("refresh_token_expires_in", REFRESH_TOKEN_LIFETIME_SECONDS);
        }
        body.put("scope", String.join(",", t.family().scopes()));
        body.put("token_type", "bearer");
        return body;
    }

    @Override
    int errorStatus(OAuthError error, boolean atTokenEndpoint) {
        return atTokenEndpoint ? 200 : error.standardStatus();
    }

    @Override
    void addErrorDetails(Map<String, Object> body, OAuthError error) {
        body.put("error_uri", DEVICE_FLOW_ERROR_DOCS);
        if (error.interval() >= 0) body.put("interval", error.interval());
    }

    @Override
    WireFormat answerFormat(Context ctx) {
        String accept = ctx.header("Accept");
        boolean json = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json");
        return json ? WireFormat.JSON : WireFormat.FORM;
    }
}
