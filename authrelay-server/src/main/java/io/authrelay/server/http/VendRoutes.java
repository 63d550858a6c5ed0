package io.authrelay.server.http;

import io.authrelay.core.auth.Principal;
import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.Workspace;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Vending to workspaces, and the rejections git reports. {@link VendHandler} answers most vends before Javalin; this
 * route answers the rest (a body of undeclared length) and gives every refusal the API's usual path.
 */
final class VendRoutes {
    /** git erases a credential at most a few times a minute; a workspace sending more is looping or attacking. */
    private static final int REJECTS_PER_MINUTE = 10;

    private final VendService vending;
    private final RepeatLimiter rejects;

    VendRoutes(VendService vending, Clock clock) {
        this.vending = vending;
        this.rejects = new RepeatLimiter(clock, Duration.ofMinutes(1), REJECTS_PER_MINUTE, REJECTS_PER_MINUTE);
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/vend", this::vend, Access.WORKSPACE);
        routes.post("/v1/vend/reject", this::reject, Access.WORKSPACE);
    }

    private void reject(Context ctx) {
        Workspace workspace = workspace(ctx);
        RepeatLimiter.Verdict verdict = rejects.check(workspace.id());
        if (verdict.refused()) {
            ctx.header(
                    "Retry-After",
                    Long.toString(Math.max(1, verdict.retryAfter().toSeconds())));
            throw new ApiException(
                    429,
                    "too_many_rejects",
                    "workspace " + workspace.name() + " reported more than " + REJECTS_PER_MINUTE
                            + " rejected credentials in a minute",
                    "check what keeps erasing the credential (a wrong helper order, a loop); retry after Retry-After");
        }
        rejects.record(workspace.id());
        ctx.json(Map.of("action", vending.reject(workspace, request(ctx), Authenticator.address(ctx))));
    }

    private void vend(Context ctx) {
        Vend vend = vending.vend(workspace(ctx), request(ctx), Authenticator.address(ctx));
        ctx.header("Cache-Control", "no-store");
        send(ctx, VendWire.answer(vend, ctx.header("Accept")));
    }

    /**
     * Writes the answer straight to the response, with its length: Javalin's result path would copy these ~150 bytes
     * through a fresh 32 KiB buffer, which was half of what a vend allocated. The body is read by now, so nothing
     * after the route needs to change the headers.
     */
    private static void send(Context ctx, VendWire.Answer answer) {
        ctx.res().setContentType(answer.contentType());
        ctx.res().setContentLength(answer.body().length);
        try {
            ctx.res().getOutputStream().write(answer.body());
        } catch (IOException gone) {
            // The client went away: nobody is left to answer, and Jetty closes the connection.
        }
    }

    private static Workspace workspace(Context ctx) {
        Principal principal = Authenticator.principal(ctx);
        return principal.workspace();
    }

    private static VendRequest request(Context ctx) {
        return VendWire.request(ctx.contentType(), RequestBodies.readCapped(ctx));
    }
}
