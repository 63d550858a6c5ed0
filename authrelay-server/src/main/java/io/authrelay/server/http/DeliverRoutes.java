package io.authrelay.server.http;

import io.authrelay.core.clilogin.DeliveryService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AI-CLI credentials for workspaces, in the forms the real CLIs read: {@code materialize} and {@code exec}. */
final class DeliverRoutes {
    record DeliverBody(@Required String provider) {}

    private final DeliveryService deliveries;

    DeliverRoutes(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/deliver", this::deliver, Access.WORKSPACE);
    }

    private void deliver(Context ctx) {
        DeliverBody body = RequestBodies.read(ctx, DeliverBody.class);
        DeliveryService.Delivered delivered = deliveries.deliver(
                Authenticator.principal(ctx).workspace(), body.provider(), null, Authenticator.address(ctx));
        ctx.header("Cache-Control", "no-store");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", delivered.provider());
        view.put("driver", delivered.driver());
        view.put("credential", delivered.credential());
        view.put("expires_at", delivered.expiresAt());
        view.put("env", delivered.env());
        List<Map<String, String>> files = delivered.files().stream()
                .map(f -> Map.of("path", f.path(), "content", f.content()))
                .toList();
        view.put("files", files);
        ctx.json(view);
    }
}
