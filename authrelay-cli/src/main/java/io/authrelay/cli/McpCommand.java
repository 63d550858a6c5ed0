package io.authrelay.cli;

import io.authrelay.core.Version;
import io.authrelay.mcp.McpFront;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
        name = "mcp",
        description =
                "Serve MCP over stdio for AI agents: start and check logins through the daemon (auto-started if needed).")
final class McpCommand implements Callable<Integer> {
    private final CliContext context;

    McpCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        new McpFront(context.env(), thisCli()).serve(context.stdin(), System.out, Version.PRODUCT);
        return ExitCodes.OK;
    }

    /** The JVM, flags and class path this CLI runs with, so an auto-started daemon is the same build. */
    private static List<String> thisCli() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String flag :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent")) command.add(flag);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return command;
    }
}
