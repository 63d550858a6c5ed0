package io.authrelay.server.http;

import io.authrelay.core.clilogin.DeliveryService;
import io.authrelay.core.clilogin.FileTemplate;
import io.authrelay.core.clilogin.RelaySpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** AI-CLI credentials for workspaces, in the forms the real CLIs read: {@code materialize} and {@code exec}. */
final class DeliverRoutes {
    record DeliverBody(@Required String provider) {}

    private final DeliveryService deliveries;

    DeliverRoutes(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    /** Where a workspace's CLI refreshes: public, because codex sends no header, only the ticket in its body. */
    static final String TOKEN_PATH = "/v1/deliver/token";

    private static final Pattern HOST_HEADER =
            Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?");

    void register(RoutesConfig routes) {
        routes.post("/v1/deliver", this::deliver, Access.WORKSPACE);
        routes.post(TOKEN_PATH, this::token);
        routes.post("/v1/deliver/relay", this::relay, Access.WORKSPACE);
    }

    /** exec --relay: the variables that point a CLI at the relay, to be filled in by the client; no token. */
    private void relay(Context ctx) {
        DeliverBody body = RequestBodies.read(ctx, DeliverBody.class);
        RelaySpec relay =
                deliveries.relay(Authenticator.principal(ctx).workspace(), body.provider(), Authenticator.address(ctx));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", body.provider());
        view.put("relay_path", "/relay/api/" + body.provider());
        view.put("env", relay.env());
        view.put("files", files(relay.files(), FileTemplate::path, FileTemplate::content));
        ctx.json(view);
    }

    private void deliver(Context ctx) {
        DeliverBody body = RequestBodies.read(ctx, DeliverBody.class);
        DeliveryService.Delivered delivered = deliveries.deliver(
                Authenticator.principal(ctx).workspace(), body.provider(), refreshUrl(ctx), Authenticator.address(ctx));
        ctx.header("Cache-Control", "no-store");
        if (VendWire.wantsGitFormat(ctx.header("Accept"))) {
            ctx.contentType(VendWire.GIT_FORMAT).result(lines(delivered));
            return;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", delivered.provider());
        view.put("driver", delivered.driver());
        view.put("credential", delivered.credential());
        view.put("expires_at", delivered.expiresAt());
        view.put("env", delivered.env());
        view.put(
                "files",
                files(delivered.files(), DeliveryService.DeliveredFile::path, DeliveryService.DeliveredFile::content));
        ctx.json(view);
    }

    /** Files as the clients read them: {@code [{"path":…,"content":…}]}. */
    private static <F> List<Map<String, String>> files(
            List<F> files, Function<F, String> path, Function<F, String> content) {
        return files.stream()
                .map(f -> Map.of("path", path.apply(f), "content", content.apply(f)))
                .toList();
    }

    /** Codex's refresh request, answered like its vendor's token endpoint but with the broker's current token. */
    private void token(Context ctx) {
        DeliveryService.Delivered delivered = deliveries.forTicket(ticketOf(ctx), Authenticator.address(ctx));
        ctx.header("Cache-Control", "no-store");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", delivered.accessToken().value());
        answer.put("token_type", "Bearer");
        if (delivered.expiresAt() != null)
            answer.put(
                    "expires_in",
                    Math.max(
                            0,
                            delivered.expiresAt().getEpochSecond()
                                    - Instant.now().getEpochSecond()));
        ctx.json(answer);
    }

    /**
     * The ticket in codex's refresh body; null when the body holds none. Malformed JSON is the caller's error (400),
     * never an unhandled one: this route is public, and a parser's failure must not become a 500 with a stack trace.
     */
    private static String ticketOf(Context ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(RequestBodies.readText(ctx));
        } catch (JacksonException e) {
            throw new ApiException(400, "invalid_json", "the body is not valid JSON", null);
        }
        JsonNode ticket = body == null ? null : body.get("refresh_token");
        return ticket != null && ticket.isString() ? ticket.asString() : null;
    }

    /** This broker as the workspace reached it; none through the home socket, or for a Host header of another shape. */
    private static String refreshUrl(Context ctx) {
        String host = ctx.header("Host");
        if (HomeSocketListener.carried(ctx)
                || host == null
                || !HOST_HEADER.matcher(host).matches()) return null;
        return ctx.scheme() + "://" + host.toLowerCase(Locale.ROOT) + TOKEN_PATH;
    }

    /**
     * For the sh helper, which has no JSON parser: one record per line, every value base64 (so no value can start a
     * line of its own): {@code provider NAME}, {@code expires_at TIME}, {@code env NAME B64}, {@code file B64 B64}.
     */
    private static String lines(DeliveryService.Delivered delivered) {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder out =
                new StringBuilder("provider ").append(delivered.provider()).append('\n');
        if (delivered.expiresAt() != null)
            out.append("expires_at ").append(delivered.expiresAt()).append('\n');
        delivered
                .env()
                .forEach((name, value) -> out.append("env ")
                        .append(name)
                        .append(' ')
                        .append(b64.encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                        .append('\n'));
        for (DeliveryService.DeliveredFile file : delivered.files()) {
            out.append("file ")
                    .append(b64.encodeToString(file.path().getBytes(StandardCharsets.UTF_8)))
                    .append(' ')
                    .append(b64.encodeToString(file.content().getBytes(StandardCharsets.UTF_8)))
                    .append('\n');
        }
        return out.toString();
    }
}
