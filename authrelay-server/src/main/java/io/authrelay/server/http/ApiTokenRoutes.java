package io.authrelay.server.http;

import io.authrelay.core.apitoken.ApiToken;
import io.authrelay.core.apitoken.ApiTokenService;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creating, listing and revoking API tokens (admin only). A token is in one answer, its creation's, and never again. */
final class ApiTokenRoutes {
    record CreateApiToken(String name, String scope) {}

    private final ApiTokenService apiTokens;

    ApiTokenRoutes(ApiTokenService apiTokens) {
        this.apiTokens = apiTokens;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/api-tokens", ctx -> {
            CreateApiToken body = RequestBodies.read(ctx, CreateApiToken.class);
            ApiTokenService.Issued issued = apiTokens.create(
                    body.name(), body.scope(), Authenticator.principal(ctx), Authenticator.address(ctx));
            Map<String, Object> view = view(issued.apiToken());
            view.put("token", issued.token());
            ctx.status(201).header("Cache-Control", "no-store").json(view);
        });
        routes.get(
                "/v1/api-tokens",
                ctx -> ctx.json(Map.of(
                        "api_tokens",
                        apiTokens.list().stream().map(ApiTokenRoutes::view).toList())));
        routes.post(
                "/v1/api-tokens/{name}/revoke",
                ctx -> ctx.json(view(apiTokens.revoke(ctx.pathParam("name"), Authenticator.actor(ctx)))));
    }

    /** Everything about a token but the token and its hash. */
    private static Map<String, Object> view(ApiToken t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", t.name());
        view.put("scope", t.scope().wireName());
        view.put("state", t.isRevoked() ? "revoked" : "active");
        view.put("created_at", t.createdAt());
        view.put("last_used_at", t.lastUsedAt());
        view.put("revoked_at", t.revokedAt());
        return view;
    }
}
