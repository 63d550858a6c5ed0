package io.authrelay.server.testing;

import io.authrelay.server.http.Json;
import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** One HTTP answer from the daemon, as tests look at it. */
public record Reply(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
        return body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
    }

    /** The stable error code of an error answer, or null. */
    public String errorCode() {
        JsonNode code = json().path("error").path("code");
        return code.isString() ? code.asString() : null;
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + body;
    }
}
