package io.authrelay.mcp;

import io.authrelay.client.BrokerClient;
import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerEndpoint;
import io.authrelay.client.BrokerError;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.ErrorMessages;
import io.authrelay.client.RetryClassifier;
import java.net.URI;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP process's only link to the daemon. It reaches the broker as {@link BrokerConfig#forAdmin} says (the home's
 * admin token only through the home's socket), starts a daemon when the home has none (unless AUTHRELAY_AUTOSTART=0),
 * and checks the API version once before the first call. Every failure becomes a {@link ToolFailure} with a one-line
 * cause and fix.
 */
final class BrokerConnection implements BrokerApi {
    /** The /v1 API versions this MCP server speaks. */
    static final int MIN_API = 1;

    static final int MAX_API = 1;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> env;
    private final List<String> cliCommand;
    private volatile BrokerClient client;
    private volatile boolean handshakeDone;

    BrokerConnection(Map<String, String> env, List<String> cliCommand) {
        this.env = env;
        this.cliCommand = cliCommand;
    }

    @Override
    public JsonNode get(String path) {
        return call("GET", path, null);
    }

    @Override
    public JsonNode post(String path, Object body) {
        return call("POST", path, JSON.writeValueAsString(body));
    }

    /** Version and reachability without failing: for the status tool, which must report a daemon that is down. */
    @Override
    public JsonNode versionOrNull() {
        try {
            BrokerClient.Response response = client().send("GET", "/v1/version", null);
            return response.ok() ? JSON.readTree(response.body()) : null;
        } catch (BrokerUnreachableException | JacksonException e) {
            return null;
        }
    }

    @Override
    public String where() {
        return client().config().endpoint().describe();
    }

    @Override
    public String autostartRefusal() {
        if ("0".equals(env.get("AUTHRELAY_AUTOSTART"))) return "AUTHRELAY_AUTOSTART=0 is set";
        if (!client().config().usesHomeSocket()) return "AUTHRELAY_TOKEN is set, so the daemon is not this home's";
        return null;
    }

    private JsonNode call(String method, String path, String body) {
        handshake();
        BrokerClient.Response response = send(method, path, body);
        if (response.status() == 401 && client().config().usesHomeSocket()) {
            // The home's admin token changed since we read it (a daemon started since we looked wrote its first one, or
            // the token was rotated): read it again and try once more.
            client = null;
            response = send(method, path, body);
        }
        JsonNode json = parse(response.body());
        if (response.ok()) return json;
        BrokerError error = BrokerError.of(response);
        String message = error.message() != null ? error.message() : "the daemon answered HTTP " + response.status();
        String hint = response.status() == 401
                ? "set AUTHRELAY_TOKEN, or run the MCP server as the daemon's user so it can read admin.token"
                : error.hint();
        throw new ToolFailure(message + (hint == null ? "" : " (" + hint + ")"), error.code());
    }

    private BrokerClient.Response send(String method, String path, String body) {
        try {
            return client().send(method, path, body);
        } catch (BrokerUnreachableException e) {
            throw new ToolFailure(ErrorMessages.withoutPrefix(e.getMessage())
                    + ": check `authrelay status`, or restart it with `authrelay server`");
        }
    }

    private void handshake() {
        if (handshakeDone) return;
        BrokerClient.Response version;
        try {
            version = client().send("GET", "/v1/version", null);
        } catch (BrokerUnreachableException e) {
            version = startDaemonAndRetry(e);
        }
        int api = parse(version.body()).path("api_version").asInt(-1);
        if (api < MIN_API || api > MAX_API) {
            throw new ToolFailure("the daemon speaks API v" + api + " but this authrelay mcp needs v" + MIN_API
                    + (MIN_API == MAX_API ? "" : "-v" + MAX_API) + ": run the same authrelay version for both");
        }
        handshakeDone = true;
    }

    private BrokerClient.Response startDaemonAndRetry(BrokerUnreachableException unreachable) {
        String refusal = autostartRefusal();
        if (refusal != null) {
            throw new ToolFailure(ErrorMessages.withoutPrefix(unreachable.getMessage()) + " (not starting one: "
                    + refusal + "); start it with `authrelay server`");
        }
        BrokerEndpoint.HomeSocket socket =
                (BrokerEndpoint.HomeSocket) client().config().endpoint();
        DaemonAutostart.ensureRunning(socket.home().dir(), cliCommand, listenAddress(), this::ready);
        client = null; // the new daemon has just written the admin token
        try {
            return client().send("GET", "/v1/version", null);
        } catch (BrokerUnreachableException e) {
            throw new ToolFailure("started a daemon but it does not answer: see daemon.log in "
                    + socket.home().dir());
        }
    }

    /** The TCP address the started daemon listens on: AUTHRELAY_URL's, so workspaces configured with it find it. */
    private String listenAddress() {
        try {
            URI url = URI.create(BrokerConfig.anonymous(env).endpoint().describe());
            return url.getHost() + ":" + (url.getPort() < 0 ? 80 : url.getPort());
        } catch (BrokerConfigException e) {
            throw new ToolFailure(e.getMessage() + ": fix AUTHRELAY_URL in the MCP server's configuration");
        }
    }

    /** Ready only when the home's own daemon says so through its socket: a stranger on the TCP port proves nothing. */
    private boolean ready() {
        try {
            client = null;
            return client().send("GET", "/readyz", null).status() == 200;
        } catch (BrokerUnreachableException e) {
            return false;
        }
    }

    private BrokerClient client() {
        BrokerClient current = client;
        if (current == null) {
            try {
                current = new BrokerClient(
                        BrokerConfig.forAdmin(env, null).withTimeoutMillis(20_000),
                        RetryClassifier.singleAttempt(),
                        null,
                        null);
            } catch (BrokerConfigException e) {
                throw new ToolFailure(e.getMessage() + ": fix AUTHRELAY_URL in the MCP server's configuration");
            }
            client = current;
        }
        return current;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ToolFailure(
                    "the daemon answered something that is not JSON: is AUTHRELAY_URL pointing at authrelay?");
        }
    }
}
