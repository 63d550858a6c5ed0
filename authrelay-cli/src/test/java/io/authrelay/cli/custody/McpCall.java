package io.authrelay.cli.custody;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.LocalUser;
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

/** One tool call to `authrelay mcp`, run as a local user, through the official MCP Java SDK client. */
record McpCall(McpSchema.CallToolResult result) {
    static McpCall as(LocalUser user, Map<String, String> env, String tool) {
        List<String> command =
                Cli.java(user, Cli.MAIN, Map.of(), List.of("mcp")).command();
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
            return new McpCall(client.callTool(new McpSchema.CallToolRequest(tool, Map.of())));
        } finally {
            client.close();
        }
    }

    boolean isError() {
        return Boolean.TRUE.equals(result.isError());
    }

    String text() {
        return result.content().stream()
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }
}
