package io.authrelay.sim;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Reads OAuth requests: their parameters, the client they name, and the bearer token they carry. */
final class Requests {
    private Requests() {}

    /** Query parameters, overridden by a form or JSON body (GitHub accepts all three). */
    static Map<String, String> params(Context ctx) {
        Map<String, String> out = new HashMap<>();
        String query = ctx.req().getQueryString();
        if (query != null) parseForm(query, out);
        String contentType = ctx.contentType();
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/json")) {
            try {
                JsonNode n = Wire.MAPPER.readTree(ctx.bodyAsBytes());
                if (n != null && n.isObject()) {
                    for (Map.Entry<String, JsonNode> e : n.properties()) {
                        if (e.getValue().isValueNode() && !e.getValue().isNull())
                            out.put(e.getKey(), e.getValue().asString());
                    }
                }
            } catch (JacksonException ignored) {
                // treated as no parameters: the grant logic answers invalid_request-like errors
            }
        } else if (ct.startsWith("application/x-www-form-urlencoded")) {
            parseForm(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8), out);
        }
        return out;
    }

    private static void parseForm(String s, Map<String, String> out) {
        int start = 0;
        int n = s.length();
        while (start <= n) { // each pass moves start past one '&': bounded by the string length
            int amp = s.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                int eq = s.indexOf('=', start);
                String key;
                String value;
                if (eq < 0 || eq > end) {
                    key = s.substring(start, end);
                    value = "";
                } else {
                    key = s.substring(start, eq);
                    value = s.substring(eq + 1, end);
                }
                try {
                    out.put(
                            URLDecoder.decode(key, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ignored) {
                    // malformed escape: skip the pair
                }
            }
            if (amp < 0) break;
            start = amp + 1;
        }
    }

    /** client_id from the parameters, else the user name of HTTP Basic client authentication. */
    static String clientId(Context ctx, Map<String, String> params) {
        String id = params.get("client_id");
        if (id != null) return id;
        String auth = ctx.header("Authorization");
        if (isBasic(auth)) {
            try {
                String decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                return URLDecoder.decode(user, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** Whether an Authorization header uses the Basic scheme. */
    static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** The token of an Authorization header; {@code allowTokenScheme} also takes GitHub's {@code token} scheme. */
    static String bearer(String authorization, boolean allowTokenScheme) {
        if (authorization == null) return null;
        String h = authorization.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).strip();
        if (allowTokenScheme && h.regionMatches(true, 0, "token ", 0, 6))
            return h.substring(6).strip();
        return null;
    }
}
