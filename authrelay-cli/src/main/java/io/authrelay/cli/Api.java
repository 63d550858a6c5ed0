package io.authrelay.cli;

import io.authrelay.client.BrokerClient;
import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerError;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.ErrorMessages;
import io.authrelay.client.RetryClassifier;
import io.authrelay.server.http.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The CLI's view of the daemon API: JSON in and out, every failure turned into a {@link CliFailure} with the right exit
 * code. It talks to the broker as {@link BrokerConfig#forAdmin} says: an explicit {@code AUTHRELAY_TOKEN} to
 * {@code AUTHRELAY_URL}, else the home's admin token through the home's socket.
 */
final class Api {
    private final BrokerClient client;

    Api(Map<String, String> env) {
        BrokerConfig config;
        try {
            config = BrokerConfig.forAdmin(env, null);
        } catch (BrokerConfigException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage(), null);
        }
        // One attempt: a person is waiting, and a login start or a key rotation must not run twice.
        this.client = new BrokerClient(
                config,
                RetryClassifier.singleAttempt(),
                null,
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }

    BrokerConfig config() {
        return client.config();
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

    /** The answer whatever its status, for callers that judge it themselves (doctor). */
    BrokerClient.Response raw(String method, String path) throws BrokerUnreachableException {
        return client.send(method, path, null);
    }

    private JsonNode call(String method, String path, Object body) {
        BrokerClient.Response response;
        try {
            response = client.send(method, path, body == null ? null : Json.MAPPER.writeValueAsString(body));
        } catch (BrokerUnreachableException e) {
            throw unreachable(e);
        }
        if (response.ok()) return parse(response.body());
        BrokerError error = BrokerError.of(response);
        String message = error.message() != null ? error.message() : "the daemon answered HTTP " + response.status();
        String hint = error.hint();
        if (response.status() == 401 && !client.config().hasToken()) {
            hint = "no admin token in " + client.config().endpoint().describe()
                    + ": run as the daemon's user, or set AUTHRELAY_TOKEN";
        }
        throw new CliFailure(ExitCodes.forHttpStatus(response.status()), message, hint, error.code());
    }

    static CliFailure unreachable(BrokerUnreachableException e) {
        return new CliFailure(
                ExitCodes.UNREACHABLE,
                ErrorMessages.withoutPrefix(e.getMessage()),
                "start it with: authrelay server (AUTHRELAY_URL is used only together with AUTHRELAY_TOKEN)");
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
