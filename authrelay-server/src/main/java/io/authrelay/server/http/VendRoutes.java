package io.authrelay.server.http;

import io.authrelay.core.auth.Principal;
import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.Workspace;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Vending to workspaces: JSON for the Java helper and exec, git's own key=value format for the sh helper. */
final class VendRoutes {
    static final String GIT_FORMAT = "text/plain";

    record VendBody(String protocol, String host, String path, String username, List<String> wwwauth, String provider) {
        VendRequest request() {
            return new VendRequest(protocol, host, path, username, wwwauth == null ? List.of() : wwwauth, provider);
        }
    }

    /** The JSON answer, in this order (snake_case on the wire); a record serialises faster than a map. */
    record VendAnswer(
            String provider, String kind, String host, String username, String password, Long passwordExpiryUtc) {}

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
        Long expiry = vend.expiresAt() == null ? null : vend.expiresAt().getEpochSecond();
        if (wantsGitFormat(ctx)) {
            send(
                    ctx,
                    GIT_FORMAT,
                    ("username=" + vend.username() + "\npassword="
                                    + vend.password().value()
                                    + (expiry == null ? "" : "\npassword_expiry_utc=" + expiry) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        VendAnswer answer = new VendAnswer(
                vend.provider(),
                vend.kind().wireName(),
                vend.host(),
                vend.username(),
                vend.password().value(),
                expiry);
        send(ctx, "application/json", Json.MAPPER.writeValueAsBytes(answer));
    }

    /**
     * Writes the answer straight to the response, with its length: Javalin's result path would copy these ~150 bytes
     * through a fresh 32 KiB buffer, which was half of what a vend allocated. The body is read by now, so nothing
     * after the route needs to change the headers.
     */
    private static void send(Context ctx, String contentType, byte[] body) {
        ctx.res().setContentType(contentType);
        ctx.res().setContentLength(body.length);
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException gone) {
            // The client went away: nobody is left to answer, and Jetty closes the connection.
        }
    }

    private static Workspace workspace(Context ctx) {
        Principal principal = Authenticator.principal(ctx);
        return principal.workspace();
    }

    private static VendRequest request(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.startsWith(GIT_FORMAT)) return GitCredentialBody.parse(RequestBodies.readText(ctx));
        return RequestBodies.read(ctx, VendBody.class).request();
    }

    static boolean wantsGitFormat(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.startsWith(GIT_FORMAT);
    }
}
