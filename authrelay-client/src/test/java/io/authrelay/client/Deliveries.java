package io.authrelay.client;

import io.authrelay.client.FakeBroker.Answer;
import java.time.Instant;
import java.util.Map;

/** {@code /v1/deliver} answers for tests, in the wire shape (used by the CLI's tests too). */
public final class Deliveries {
    private Deliveries() {}

    /** {@code files} alternate path, content. */
    public static String json(String provider, Instant expiresAt, Map<String, String> env, String... files) {
        StringBuilder b = new StringBuilder("{\"provider\":");
        MiniJson.quote(b, provider);
        b.append(",\"driver\":\"claude-code\",\"credential\":\"oauth\",\"expires_at\":");
        if (expiresAt == null) b.append("null");
        else MiniJson.quote(b, expiresAt.toString());
        b.append(",\"env\":{");
        String comma = "";
        for (var e : env.entrySet()) {
            b.append(comma);
            MiniJson.quote(b, e.getKey());
            b.append(':');
            MiniJson.quote(b, e.getValue());
            comma = ",";
        }
        b.append("},\"files\":[");
        for (int i = 0; i < files.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"path\":");
            MiniJson.quote(b, files[i]);
            b.append(",\"content\":");
            MiniJson.quote(b, files[i + 1]);
            b.append('}');
        }
        return b.append("]}").toString();
    }

    public static Answer ok(String provider, Instant expiresAt, Map<String, String> env, String... files) {
        return Answer.json(200, json(provider, expiresAt, env, files));
    }
}
