package io.authrelay.server.http;

import io.authrelay.core.credential.ProviderLifecycle;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.provider.ProviderSpec;
import io.javalin.config.RoutesConfig;
import java.time.Instant;
import java.util.Map;

final class ProviderRoutes {
    record AddProvider(
            @Required String name,
            @Required String type,
            String host,
            String username,
            String clientId,
            String baseUrl,
            String issuer,
            String scopes,
            String deviceEndpoint,
            String tokenEndpoint) {
        ProviderSpec spec() {
            return new ProviderSpec(
                    name, type, host, username, clientId, baseUrl, issuer, scopes, deviceEndpoint, tokenEndpoint);
        }
    }

    record ProviderView(
            String name, String type, String host, String username, OAuthSettings oauth, Instant createdAt) {
        static ProviderView of(Provider p) {
            return new ProviderView(p.name(), p.kind().wireName(), p.host(), p.username(), p.oauth(), p.createdAt());
        }
    }

    private final ProviderService providers;
    private final ProviderLifecycle lifecycle;

    ProviderRoutes(ProviderService providers, ProviderLifecycle lifecycle) {
        this.providers = providers;
        this.lifecycle = lifecycle;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/providers", ctx -> {
            AddProvider body = RequestBodies.read(ctx, AddProvider.class);
            Provider added = providers.add(body.spec(), Authenticator.actor(ctx));
            ctx.status(201).json(ProviderView.of(added));
        });
        routes.get(
                "/v1/providers",
                ctx -> ctx.json(Map.of(
                        "providers",
                        providers.list().stream().map(ProviderView::of).toList())),
                Access.READ);
        routes.get(
                "/v1/providers/{name}",
                ctx -> ctx.json(ProviderView.of(providers.get(ctx.pathParam("name")))),
                Access.READ);
        routes.delete("/v1/providers/{name}", ctx -> {
            lifecycle.remove(ctx.pathParam("name"), Authenticator.actor(ctx));
            ctx.status(204);
        });
    }
}
