package io.authrelay.cli;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** `authrelay mcp` as an agent's MCP host starts it: a process on stdio, through the official MCP Java SDK client. */
public final class McpStdio {
    /** Every tool `authrelay mcp` lists. */
    public static final List<String> TOOLS = List.of(
            "setup_github_auth",
            "check_github_auth",
            "oauth_helper_status",
            "auth_login",
            "auth_login_input",
            "auth_status",
            "auth_diagnose");

    private McpStdio() {}

    /** Starts {@code command} with {@code env} and initializes the session; the caller closes the client. */
    public static McpSyncClient connect(List<String> command, Map<String, String> env) {
        ServerParameters server = ServerParameters.builder(command.get(0))
                .args(command.subList(1, command.size()))
                .env(env)
                .build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(60))
                .build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** The text contents of a tool's result, one per line. */
    public static String text(McpSchema.CallToolResult result) {
        return result.content().stream()
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }
}
