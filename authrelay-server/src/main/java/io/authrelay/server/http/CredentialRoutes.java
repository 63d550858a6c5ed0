package io.authrelay.server.http;

import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialService;
import io.authrelay.core.vault.Secret;
import io.javalin.config.RoutesConfig;
import java.time.Instant;
import java.util.Map;

final class CredentialRoutes {
    record SetSecret(@Required String secret) {
        @Override
        public String toString() {
            return "SetSecret[redacted]";
        }
    }

    record CredentialView(String provider, String state, String account, Instant expiresAt, Instant updatedAt) {
        static CredentialView of(Credential c) {
            return new CredentialView(c.provider(), c.state().wireName(), c.account(), c.expiresAt(), c.updatedAt());
        }
    }

    private final CredentialService credentials;

    CredentialRoutes(CredentialService credentials) {
        this.credentials = credentials;
    }

    void register(RoutesConfig routes) {
        routes.put("/v1/credentials/{provider}", ctx -> {
            SetSecret body = RequestBodies.read(ctx, SetSecret.class);
            Credential saved = credentials.setStatic(
                    ctx.pathParam("provider"), new Secret(body.secret()), Authenticator.actor(ctx));
            ctx.json(CredentialView.of(saved));
        });
        routes.get(
                "/v1/credentials",
                ctx -> ctx.json(Map.of(
                        "credentials",
                        credentials.list().stream().map(CredentialView::of).toList())),
                Access.READ);
        routes.delete("/v1/credentials/{provider}", ctx -> {
            credentials.delete(ctx.pathParam("provider"), Authenticator.actor(ctx));
            ctx.status(204);
        });
        // POST, not GET: a read of a secret is an audited action, and must not be cached or prefetched.
        routes.post("/v1/credentials/{provider}/token", ctx -> {
            Secret secret = credentials.reveal(ctx.pathParam("provider"), Authenticator.actor(ctx));
            ctx.header("Cache-Control", "no-store").json(Map.of("token", secret.value()));
        });
    }
}
