package io.authrelay.client;

import java.util.Map;

/**
 * The broker's error body {@code {"error":{"code":…,"message":…,"hint":…}}} plus the status and
 * {@code Retry-After}. When the body is not in that shape, {@code code} is null.
 */
public record BrokerError(int status, String code, String message, String hint, String retryAfter) {
    public static BrokerError of(BrokerClient.Response response) {
        String code = null;
        String message = null;
        String hint = null;
        try {
            Map<String, Object> error = MiniJson.object(MiniJson.parseObject(response.body()), "error");
            code = MiniJson.string(error, "code");
            message = MiniJson.string(error, "message");
            hint = MiniJson.string(error, "hint");
        } catch (MiniJson.JsonException notJson) {
            // a proxy or something else answered: keep the status only
        }
        return new BrokerError(response.status(), code, message, hint, response.retryAfter());
    }

    public boolean is(String expected) {
        return expected.equals(code);
    }
}
