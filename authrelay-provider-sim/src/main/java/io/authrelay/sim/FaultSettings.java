package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /sim/faults} document: the faults in force plus the interval and lifetimes new grants get, read as JSON
 * and changed field by field.
 */
final class FaultSettings {
    private static final Set<String> FIELDS = Set.of(
            "latency_ms",
            "error_rate",
            "force_slow_down",
            "garbage_rate",
            "reset_rate",
            "code_lifetime_seconds",
            "token_lifetime_seconds",
            "interval_seconds");
    private static final long MAX_LIFETIME_SECONDS = 86_400 * 366L;

    private final FaultInjector faults;
    private final GrantState grants;

    FaultSettings(FaultInjector faults, GrantState grants) {
        this.faults = faults;
        this.grants = grants;
    }

    Map<String, Object> document() {
        Faults f = faults.current();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latency_ms", f.latencyMs());
        m.put("error_rate", f.errorRate());
        m.put("force_slow_down", f.forceSlowDown());
        m.put("garbage_rate", f.garbageRate());
        m.put("reset_rate", f.resetRate());
        m.put("code_lifetime_seconds", grants.codeLifetimeSeconds());
        m.put("token_lifetime_seconds", grants.tokenLifetimeSeconds());
        m.put("interval_seconds", grants.intervalSeconds());
        return m;
    }

    /** Changes the fields the JSON body names; all or none, and answers the document as it now is. */
    void update(Context ctx) {
        JsonNode body;
        try {
            byte[] raw = ctx.bodyAsBytes();
            body = raw.length == 0 ? Wire.MAPPER.createObjectNode() : Wire.MAPPER.readTree(raw);
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            Wire.error(ctx, 400, "invalid_json", "body must be a JSON object");
            return;
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!FIELDS.contains(e.getKey())) {
                String known = String.join(", ", FIELDS.stream().sorted().toList());
                Wire.json(
                        ctx,
                        400,
                        Map.of(
                                "error",
                                "unknown_field",
                                "field",
                                e.getKey(),
                                "error_description",
                                "known fields: " + known));
                return;
            }
        }
        Faults current = faults.current();
        try {
            long latency = longField(body, "latency_ms", current.latencyMs(), 0, FaultInjector.MAX_LATENCY_MS);
            double errorRate = rateField(body, "error_rate", current.errorRate());
            int slowDowns = (int) longField(body, "force_slow_down", current.forceSlowDown(), 0, 1_000_000);
            double garbageRate = rateField(body, "garbage_rate", current.garbageRate());
            double resetRate = rateField(body, "reset_rate", current.resetRate());
            int codeLife = (int)
                    longField(body, "code_lifetime_seconds", grants.codeLifetimeSeconds(), 1, MAX_LIFETIME_SECONDS);
            int tokenLife = (int)
                    longField(body, "token_lifetime_seconds", grants.tokenLifetimeSeconds(), 0, MAX_LIFETIME_SECONDS);
            int interval = (int) longField(body, "interval_seconds", grants.intervalSeconds(), 0, 3600);
            Faults next = new Faults(latency, errorRate, slowDowns, garbageRate, resetRate);
            // a request that leaves force_slow_down out must not restore slow_downs taken since it was read
            if (body.has("force_slow_down")) faults.set(next);
            else faults.setKeepingSlowDowns(next);
            grants.setCodeLifetimeSeconds(codeLife);
            grants.setTokenLifetimeSeconds(tokenLife);
            grants.setIntervalSeconds(interval);
        } catch (IllegalArgumentException e) {
            Wire.error(ctx, 400, "invalid_value", e.getMessage());
            return;
        }
        Wire.json(ctx, 200, document());
    }

    private static long longField(JsonNode body, String name, long fallback, long min, long max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber() || !n.canConvertToExactIntegral() && !n.isIntegralNumber()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        long v = n.asLong();
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "]");
        return v;
    }

    private static double rateField(JsonNode body, String name, double fallback) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber()) throw new IllegalArgumentException(name + " must be a number");
        double v = n.asDouble();
        if (!(v >= 0.0 && v <= 1.0)) throw new IllegalArgumentException(name + " must be within [0, 1]");
        return v;
    }
}
