package io.authrelay.cli;

import io.authrelay.core.Version;
import io.authrelay.mcp.McpFront;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * How to run `authrelay` for an auto-started daemon: the launcher this CLI came from when there is one, so the
     * daemon gets exactly the flags `bin/authrelay server` gives it (JIT and memory); else this JVM and class path with
     * the same memory bounds ({@link DaemonJvm}).
     */
    private List<String> thisCli() {
        String root = context.env().get("AUTHRELAY_ROOT");
        if (root != null && Files.isExecutable(Path.of(root, "bin", "authrelay"))) {
            return List.of(Path.of(root, "bin", "authrelay").toString());
        }
        return DaemonJvm.command(
                ProcessHandle.current().info().command().orElse("java"),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                context.env(),
                System.getProperty("java.class.path"),
                Main.class.getName());
    }
}
