package io.authrelay.mcp;

import io.authrelay.client.DaemonClient;
import io.authrelay.client.DaemonTarget;
import io.authrelay.client.DaemonUnreachableException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP process's only link to the daemon: finds it (AUTHRELAY_URL, AUTHRELAY_TOKEN or the admin token in the
 * home), starts one when none answers (unless AUTHRELAY_AUTOSTART=0), and checks the API version once before
 * the first call. Every failure becomes a {@link ToolFailure} with a one-line cause and fix.
 */
final class DaemonConnection {
    /** The /v1 API versions this MCP server speaks. */
    static final int MIN_API = 1;

    static final int MAX_API = 1;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> env;
    private final List<String> cliCommand;
    private volatile DaemonClient client;
    private volatile boolean handshakeDone;

    DaemonConnection(Map<String, String> env, List<String> cliCommand) {
        this.env = env;
        this.cliCommand = cliCommand;
    }

    JsonNode get(String path) {
        return call("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return call("POST", path, JSON.writeValueAsString(body));
    }

    /** Version and reachability without failing: for the status tool, which must report a daemon that is down. */
    JsonNode versionOrNull() {
        try {
            DaemonClient.Response response = client().send("GET", "/v1/version", null);
            return response.ok() ? JSON.readTree(response.body()) : null;
        } catch (DaemonUnreachableException | JacksonException e) {
            return null;
        }
    }

    String url() {
        return client().target().baseUrl().toString();
    }

    private JsonNode call(String method, String path, String body) {
        handshake();
        DaemonClient.Response response = send(method, path, body);
        if (response.status() == 401 && client().target().token() == null) {
            // A daemon started since we looked has just written its admin token: read it and try once more.
            client = null;
            response = send(method, path, body);
        }
        JsonNode json = parse(response.body());
        if (response.ok()) return json;
        JsonNode error = json.path("error");
        String message = error.path("message").asString("the daemon answered HTTP " + response.status());
        String hint = error.path("hint").asString(null);
        if (response.status() == 401)
            hint = "set AUTHRELAY_TOKEN, or run the MCP server as the daemon's user so it can read admin.token";
        throw new ToolFailure(message + (hint == null ? "" : " (" + hint + ")"));
    }

    private DaemonClient.Response send(String method, String path, String body) {
        try {
            return client().send(method, path, body);
        } catch (DaemonUnreachableException e) {
            throw new ToolFailure("the authrelay daemon at " + url()
                    + " stopped answering: check `authrelay status`, or restart it with `authrelay server`");
        }
    }

    private void handshake() {
        if (handshakeDone) return;
        DaemonClient.Response version;
        try {
            version = client().send("GET", "/v1/version", null);
        } catch (DaemonUnreachableException e) {
            version = startDaemonAndRetry();
        }
        int api = parse(version.body()).path("api_version").asInt(-1);
        if (api < MIN_API || api > MAX_API) {
            throw new ToolFailure("the daemon speaks API v" + api + " but this authrelay mcp needs v" + MIN_API
                    + (MIN_API == MAX_API ? "" : "-v" + MAX_API) + ": run the same authrelay version for both");
        }
        handshakeDone = true;
    }

    private DaemonClient.Response startDaemonAndRetry() {
        DaemonTarget target = client().target();
        if ("0".equals(env.get("AUTHRELAY_AUTOSTART"))) {
            throw new ToolFailure("no authrelay daemon at " + target.baseUrl()
                    + ": start it with `authrelay server` (AUTHRELAY_AUTOSTART=0 is set)");
        }
        if (!isLoopback(target.baseUrl().getHost())) {
            throw new ToolFailure("no authrelay daemon answers at " + target.baseUrl()
                    + ": check AUTHRELAY_URL and that the daemon is running");
        }
        String listen = target.baseUrl().getHost() + ":"
                + (target.baseUrl().getPort() < 0 ? 80 : target.baseUrl().getPort());
        DaemonAutostart.ensureRunning(DaemonTarget.homeOf(env), cliCommand, listen, this::ready);
        client = null; // the new daemon may have just written the admin token
        try {
            return client().send("GET", "/v1/version", null);
        } catch (DaemonUnreachableException e) {
            throw new ToolFailure(
                    "started a daemon but it does not answer at " + target.baseUrl() + ": see daemon.log in the home");
        }
    }

    private boolean ready() {
        try {
            return client().send("GET", "/readyz", null).status() == 200;
        } catch (DaemonUnreachableException e) {
            return false;
        }
    }

    private DaemonClient client() {
        DaemonClient current = client;
        if (current == null) {
            try {
                current = new DaemonClient(
                        DaemonTarget.fromEnvironment(env), Duration.ofSeconds(2), Duration.ofSeconds(20));
            } catch (IllegalArgumentException e) {
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

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
