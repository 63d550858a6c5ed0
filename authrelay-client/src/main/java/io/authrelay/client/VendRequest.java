package io.authrelay.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workspace asks the broker for: a git-style request (protocol, host, path, username, the server's
 * {@code WWW-Authenticate} headers) or a provider by name. Absent fields are omitted from the JSON.
 */
public record VendRequest(
        String protocol, String host, String path, String username, List<String> wwwauth, String provider) {
    public VendRequest {
        wwwauth = wwwauth == null ? List.of() : List.copyOf(wwwauth);
    }

    public static VendRequest forProvider(String provider) {
        return new VendRequest(null, null, null, null, List.of(), provider);
    }

    /** Body of {@code POST /v1/vend}. */
    public String toJson() {
        return body(true);
    }

    /** Body of {@code POST /v1/vend/reject}: the broker needs no challenge to note a rejected credential. */
    public String toRejectJson() {
        return body(false);
    }

    /** For messages: "github.com/org/repo" (without ".git"), or "provider NAME". */
    public String subject() {
        if (host == null) return provider == null ? "" : "provider " + provider;
        if (path == null || path.isEmpty()) return host;
        String p = path.endsWith(".git") ? path.substring(0, path.length() - 4) : path;
        return host + "/" + p;
    }

    private String body(boolean withWwwAuth) {
        Map<String, Object> body = new LinkedHashMap<>();
        put(body, "protocol", protocol);
        put(body, "host", host);
        put(body, "path", path);
        put(body, "username", username);
        if (withWwwAuth && !wwwauth.isEmpty()) body.put("wwwauth", wwwauth);
        put(body, "provider", provider);
        return MiniJson.write(body);
    }

    private static void put(Map<String, Object> body, String key, String value) {
        if (value != null) body.put(key, value);
    }
}
