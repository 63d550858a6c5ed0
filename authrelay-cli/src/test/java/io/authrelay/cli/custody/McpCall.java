package io.authrelay.cli.custody;

import io.authrelay.cli.McpStdio;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.LocalUser;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/** One tool call to `authrelay mcp`, run as a local user, through the official MCP Java SDK client. */
record McpCall(McpSchema.CallToolResult result) {
    static McpCall as(LocalUser user, Map<String, String> env, String tool) {
        List<String> command =
                Cli.java(user, Cli.MAIN, Map.of(), List.of("mcp")).command();
        try (McpSyncClient client = McpStdio.connect(command, env)) {
            return new McpCall(client.callTool(new McpSchema.CallToolRequest(tool, Map.of())));
        }
    }

    boolean isError() {
        return Boolean.TRUE.equals(result.isError());
    }

    String text() {
        return McpStdio.text(result);
    }
}
