package io.authrelay.server.http;

import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.provider.CliSettings;
import io.authrelay.core.provider.Degradation;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.core.removal.ProviderRemoval;
import io.authrelay.core.removal.ProviderUsage;
import io.authrelay.server.home.ProvidersFile;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
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
            String tokenEndpoint,
            boolean allowHttp,
            String mode,
            boolean mcpInput) {
        /** The command, arguments and environment of an AI CLI are not here: only providers.yaml may set them. */
        ProviderSpec spec() {
            return new ProviderSpec(
                    name,
                    type,
                    host,
                    username,
                    clientId,
                    baseUrl,
                    issuer,
                    scopes,
                    deviceEndpoint,
                    tokenEndpoint,
                    allowHttp,
                    mode,
                    mcpInput);
        }
    }

    record ProviderView(
            String name,
            String type,
            String host,
            String username,
            OAuthSettings oauth,
            boolean allowHttp,
            boolean degraded,
            String degradedReason,
            Instant degradedSince,
            Instant createdAt,
            CliSettings cli) {
        /** An AI-CLI provider's type is its driver, as it was added ({@code --type codex}). */
        static ProviderView of(Provider p) {
            Degradation d = p.degradation();
            return new ProviderView(
                    p.name(),
                    p.cli() != null ? p.cli().driver() : p.kind().wireName(),
                    p.host(),
                    p.username(),
                    p.oauth(),
                    p.allowHttp(),
                    d != null,
                    d == null ? null : d.reason(),
                    d == null ? null : d.since(),
                    p.createdAt(),
                    p.cli());
        }
    }

    /** What a removal deleted, and a hint when providers.yaml will bring the provider back. */
    record Removed(String removed, String message, Deleted deleted, String hint) {}

    record Deleted(boolean credential, int grants, List<String> workspaces, int loginSessions) {
        static Deleted of(ProviderUsage usage) {
            return new Deleted(
                    usage.credential(), usage.grantHolders().size(), usage.workspaces(), usage.loginSessions());
        }
    }

    private final ProviderService providers;
    private final ProviderRemoval removal;
    private final ProvidersFile providersFile;

    ProviderRoutes(ProviderService providers, ProviderRemoval removal, ProvidersFile providersFile) {
        this.providers = providers;
        this.removal = removal;
        this.providersFile = providersFile;
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
            String name = ctx.pathParam("name");
            ProviderUsage deleted = removal.remove(name, force(ctx), Authenticator.actor(ctx));
            ctx.json(removed(name, deleted));
        });
    }

    private Removed removed(String name, ProviderUsage deleted) {
        String message =
                "removed provider '" + name + "'" + (deleted.describe().isEmpty() ? "" : " with " + deleted.describe());
        String hint = providersFile.declares(name)
                ? "it is still declared in " + providersFile.path()
                        + ", so the next start adds it again: delete its entry there to keep it removed"
                : null;
        return new Removed(name, message, Deleted.of(deleted), hint);
    }

    private static boolean force(Context ctx) {
        String force = ctx.queryParam("force");
        if (force == null || force.equals("false")) return false;
        if (force.equals("true")) return true;
        throw new ApiException(400, "invalid_query", "force must be true or false", null);
    }
}
