package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** JSON output for every endpoint that answers through Javalin rather than a {@link Reply}. */
final class Wire {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final String JSON = "application/json";
    static final String JSON_UTF8 = "application/json;charset=utf-8";
    private static final String ANSWERED = "io.authrelay.sim.answered";

    private Wire() {}

    static void json(Context ctx, int status, Object body) {
        ctx.attribute(ANSWERED, Boolean.TRUE); // a route's own 404 must not be replaced by the not-found handler
        ctx.status(status).contentType(JSON_UTF8).result(bytes(body));
    }

    /** An OAuth-style error body: {@code error} and {@code error_description}. */
    static void error(Context ctx, int status, String code, String description) {
        json(ctx, status, Map.of("error", code, "error_description", description));
    }

    /** True when {@link #json} already answered this request. */
    static boolean answered(Context ctx) {
        return ctx.attribute(ANSWERED) != null;
    }

    static byte[] bytes(Object body) {
        return MAPPER.writeValueAsBytes(body);
    }
}
