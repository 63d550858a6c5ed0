package io.authrelay.sim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The vendors' model APIs, just enough for a real CLI to finish one prompt: every request under a vendor's prefix is
 * recorded (with the credential headers it carried) and answered with a plausible minimal reply, or the vendor's 404.
 * A request without any credential gets 401. Which token was sent is the point; any token is taken, unless the
 * simulator was told to take only each credential's latest access token ({@link ProviderSimulator#strictVendorApis}),
 * and then the ChatGPT backend also takes only one ChatGPT-Account-ID, that token's own account (else 403).
 */
final class FakeVendorApis {
    private static final String REPLY = "hello from the provider simulator";

    private final ApiRequestLog requests;
    private final VendorGrants grants;

    FakeVendorApis(ApiRequestLog requests, VendorGrants grants) {
        this.requests = requests;
        this.grants = grants;
    }

    /** Catch-all routes; add them after the vendors' own endpoints, which match first. */
    void addRoutes(RoutesConfig r) {
        for (Vendor v : Vendor.values()) {
            r.get(v.prefix() + "/*", ctx -> answer(ctx, v));
            r.post(v.prefix() + "/*", ctx -> answer(ctx, v));
        }
    }

    private void answer(Context ctx, Vendor vendor) throws IOException {
        requests.record(ctx);
        if (!grants.apiAccepts(vendor, ctx.header("Authorization"), ctx.header("x-api-key"))) {
            Wire.json(ctx, 401, vendorError(vendor, 401, "no credential, or not one this vendor takes"));
            return;
        }
        if (vendor == Vendor.OPENAI
                && !grants.apiAcceptsAccount(
                        ctx.header("Authorization"), Collections.list(ctx.req().getHeaders("ChatGPT-Account-ID")))) {
            Wire.json(ctx, 403, vendorError(vendor, 403, "ChatGPT-Account-ID must name the token's account, once"));
            return;
        }
        String path = ctx.path().substring(vendor.prefix().length());
        boolean post = ctx.method().name().equals("POST");
        switch (vendor) {
            case OPENAI -> {
                if (post && path.endsWith("/responses")) sse(ctx, OpenAiStream.events(REPLY));
                else notFound(ctx, vendor);
            }
            case ANTHROPIC -> {
                if (post && path.equals("/v1/messages")) {
                    if (streamed(ctx)) sse(ctx, AnthropicStream.events(REPLY));
                    else Wire.json(ctx, 200, AnthropicStream.message(REPLY));
                } else {
                    notFound(ctx, vendor);
                }
            }
            case GOOGLE -> {
                Object body = post ? CodeAssistAnswers.forMethod(path, REPLY) : null;
                if (body == null) notFound(ctx, vendor);
                else if (path.endsWith(":streamGenerateContent")) sse(ctx, List.of(Map.of("data", body)));
                else Wire.json(ctx, 200, body);
            }
        }
    }

    /** Whether a Messages API request asks for a stream ({@code "stream": true}). */
    private static boolean streamed(Context ctx) {
        try {
            JsonNode body = Wire.MAPPER.readTree(ctx.bodyAsBytes());
            return body != null && body.path("stream").asBoolean(false);
        } catch (JacksonException e) {
            return false;
        }
    }

    private static void notFound(Context ctx, Vendor vendor) {
        Wire.json(ctx, 404, vendorError(vendor, 404, "no such endpoint in the simulator: " + ctx.path()));
    }

    private static Map<String, Object> vendorError(Vendor vendor, int status, String message) {
        return switch (vendor) {
            case OPENAI -> Map.of("detail", message);
            case ANTHROPIC ->
                Map.of(
                        "type",
                        "error",
                        "error",
                        Map.of("type", status == 401 ? "authentication_error" : "not_found_error", "message", message));
            case GOOGLE ->
                Map.of(
                        "error",
                        Map.of(
                                "code",
                                status,
                                "message",
                                message,
                                "status",
                                status == 401 ? "UNAUTHENTICATED" : "NOT_FOUND"));
        };
    }

    /**
     * Server-sent events, each a map with an optional "event" name and its "data" written as JSON. With a query
     * parameter {@value #EVENT_DELAY} (milliseconds, at most 5000), each event is flushed on its own and the next one
     * waits that long: a stream a relay must pass on as it comes.
     */
    private void sse(Context ctx, List<Map<String, Object>> events) throws IOException {
        long delay = eventDelayMillis(ctx);
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
        if (delay == 0) {
            StringBuilder b = new StringBuilder();
            for (Map<String, Object> e : events) b.append(event(e));
            ctx.result(b.toString());
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        try {
            for (Map<String, Object> e : events) {
                out.write(event(e).getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(delay);
            }
        } catch (IOException gone) {
            requests.streamAbandoned(); // the client (or the relay in front of it) went away mid-stream
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static final String EVENT_DELAY = "sim_event_delay_ms";

    private static long eventDelayMillis(Context ctx) {
        try {
            String value = ctx.queryParam(EVENT_DELAY);
            return value == null ? 0 : Math.clamp(Long.parseLong(value), 0, 5000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String event(Map<String, Object> e) {
        return (e.get("event") == null ? "" : "event: " + e.get("event") + "\n") + "data: "
                + new String(Wire.bytes(e.get("data")), StandardCharsets.UTF_8) + "\n\n";
    }
}
