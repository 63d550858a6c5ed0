package io.authrelay.cli;

import io.authrelay.client.DaemonClient;
import io.authrelay.client.DaemonTarget;
import io.authrelay.client.DaemonUnreachableException;
import io.authrelay.server.http.Json;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The CLI's view of the daemon API: JSON in and out, every failure turned into a {@link CliFailure} with the right exit code. */
final class Api {
    private final DaemonClient client;

    Api(Map<String, String> env) {
        DaemonTarget target;
        try {
            target = DaemonTarget.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage(), null);
        }
        this.client = new DaemonClient(target, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    DaemonTarget target() {
        return client.target();
    }

    JsonNode get(String path) {
        return call("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return call("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return call("PUT", path, body);
    }

    JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    DaemonClient.Response raw(String method, String path) throws DaemonUnreachableException {
        return client.send(method, path, null);
    }

    private JsonNode call(String method, String path, Object body) {
        DaemonClient.Response response;
        try {
            response = client.send(method, path, body == null ? null : Json.MAPPER.writeValueAsString(body));
        } catch (DaemonUnreachableException e) {
            throw new CliFailure(
                    ExitCodes.UNREACHABLE,
                    e.getMessage(),
                    "start it with: bin/authrelay server (or set AUTHRELAY_URL)");
        }
        JsonNode json = parse(response.body());
        if (response.ok()) return json;
        JsonNode error = json.path("error");
        String message = error.path("message").asString(null);
        String hint = error.path("hint").asString(null);
        if (message == null) message = "the daemon answered HTTP " + response.status();
        if (response.status() == 401 && client.target().token() == null) {
            hint = "no token found: set AUTHRELAY_TOKEN or AUTHRELAY_HOME (admin.token is read from the home)";
        }
        throw new CliFailure(ExitCodes.forHttpStatus(response.status()), message, hint);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return Json.MAPPER.createObjectNode();
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new CliFailure(
                    ExitCodes.FAILED,
                    "the daemon answered something that is not JSON",
                    "is AUTHRELAY_URL pointing at authrelay?");
        }
    }
}
