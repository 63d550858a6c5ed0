package io.authrelay.mcp;

import io.authrelay.client.Redactor;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `authrelay mcp`: a stateless stdio MCP server in front of the daemon. It holds no login state of its own,
 * so it can exit between tool calls without losing anything: the daemon owns every login.
 */
public final class McpFront {
    private static final Logger log = LoggerFactory.getLogger(McpFront.class);
    private static final String PROVIDER =
            "{\"type\":\"string\",\"description\":\"Provider name as configured in authrelay\"}";
    private static final String SCOPES =
            "{\"type\":\"string\",\"description\":\"Space-separated OAuth scopes for this login\"}";

    private static final String FORCE = "{\"type\":\"boolean\",\"description\":\"Start a new login although the"
            + " provider is connected; only when the user asked to sign in again\"}";

    private final AuthTools tools;
    private final McpJsonMapper mapper = McpJsonDefaults.getMapper();

    /** @param cliCommand the command that runs this CLI (java, flags, class path, main class), used to auto-start a daemon */
    public McpFront(Map<String, String> env, List<String> cliCommand) {
        this.tools = new AuthTools(new BrokerConnection(env, cliCommand));
    }

    /** Serves until the client closes stdin. Only JSON-RPC goes to {@code out}; logs go to stderr. */
    public void serve(InputStream in, OutputStream out, String version) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) closed.countDown();
                return n;
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c < 0) closed.countDown();
                return c;
            }
        };
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper, watched, out))
                .serverInfo("authrelay", version)
                .instructions(
                        "authrelay's daemon runs logins to the end even when this server exits. Start a login, show the user the"
                                + " URL and code, then check it later; no tool ever returns a token.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(specifications())
                .build();
        closed.await();
        server.closeGracefully();
    }

    List<McpServerFeatures.SyncToolSpecification> specifications() {
        return List.of(
                tool(
                        "setup_github_auth",
                        "Start a GitHub device login (or return the one already pending): returns the URL and code for the user.",
                        "{\"type\":\"object\",\"properties\":{\"provider\":" + PROVIDER + ",\"scopes\":" + SCOPES
                                + ",\"force\":" + FORCE + "},\"additionalProperties\":false}",
                        args -> tools.login(
                                string(args, "provider"), string(args, "scopes"), flag(args, "force"), true)),
                tool(
                        "check_github_auth",
                        "Is GitHub connected? Connected (account, scopes, expiry), in progress (code, time left, poller alive),"
                                + " failed/denied/expired (reason, what to do) or not connected.",
                        "{\"type\":\"object\",\"properties\":{\"provider\":" + PROVIDER
                                + "},\"additionalProperties\":false}",
                        args -> tools.status(string(args, "provider"), true)),
                tool(
                        "oauth_helper_status",
                        "Diagnose authrelay: daemon up and version, scheduler heartbeat, pending logins and their last poll"
                                + " results, last errors, the login timeline, and troubleshooting steps.",
                        "{\"type\":\"object\",\"properties\":{\"provider\":" + PROVIDER
                                + ",\"verbose\":{\"type\":\"boolean\"}},\"additionalProperties\":false}",
                        args -> tools.diagnose(string(args, "provider"), Boolean.TRUE.equals(args.get("verbose")))),
                tool(
                        "auth_login",
                        "Start a device login for any configured provider (or return the pending one).",
                        "{\"type\":\"object\",\"properties\":{\"provider\":" + PROVIDER + ",\"scopes\":" + SCOPES
                                + ",\"force\":" + FORCE
                                + "},\"required\":[\"provider\"],\"additionalProperties\":false}",
                        args -> tools.login(
                                string(args, "provider"), string(args, "scopes"), flag(args, "force"), false)),
                tool(
                        "auth_login_input",
                        "Relay the user's answer (a pasted code or the final URL of the browser) into a running AI-CLI"
                                + " login. Off unless the provider enables it: never relay a code the user did not give.",
                        "{\"type\":\"object\",\"properties\":{\"session\":{\"type\":\"string\",\"pattern\":"
                                + "\"^ls_[A-Za-z0-9_-]{1,64}$\"},\"input\":{\"type\":\"string\",\"minLength\":1,"
                                + "\"maxLength\":4096}},\"required\":[\"session\",\"input\"],"
                                + "\"additionalProperties\":false}",
                        args -> tools.input(string(args, "session"), string(args, "input"))),
                tool(
                        "auth_status",
                        "Connection state of one provider, or of all of them.",
                        "{\"type\":\"object\",\"properties\":{\"provider\":" + PROVIDER
                                + "},\"additionalProperties\":false}",
                        args -> tools.status(string(args, "provider"), false)),
                tool(
                        "auth_diagnose",
                        "Why did a login not finish? The timeline of a provider's connection or a login session, what is wrong, what to do.",
                        "{\"type\":\"object\",\"properties\":{\"provider\":" + PROVIDER
                                + ",\"session\":{\"type\":\"string\"},\"verbose\":{\"type\":\"boolean\"}},\"additionalProperties\":false}",
                        args -> tools.diagnose(
                                string(args, "session") != null ? string(args, "session") : string(args, "provider"),
                                Boolean.TRUE.equals(args.get("verbose")))));
    }

    private McpServerFeatures.SyncToolSpecification tool(
            String name, String description, String schema, Function<Map<String, Object>, AuthTools.Result> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .description(description)
                .inputSchema(mapper, schema)
                .build();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    try {
                        AuthTools.Result result =
                                handler.apply(request.arguments() == null ? Map.of() : request.arguments());
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(Redactor.redactShapes(result.text()))
                                .structuredContent(result.structured())
                                .isError(false)
                                .build();
                    } catch (ToolFailure e) {
                        return error(e.getMessage());
                    } catch (RuntimeException e) {
                        log.warn("tool {} failed", name, e);
                        return error("authrelay hit an unexpected error ("
                                + e.getClass().getSimpleName()
                                + "); see the MCP server's stderr and `authrelay doctor`");
                    }
                })
                .build();
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(Redactor.redactShapes(message))
                .isError(true)
                .build();
    }

    private static boolean flag(Map<String, Object> args, String key) {
        return Boolean.TRUE.equals(args.get(key));
    }

    private static String string(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (value == null) return null;
        if (!(value instanceof String s)) throw new ToolFailure("argument '" + key + "' must be a string");
        return s.isBlank() ? null : s;
    }
}
