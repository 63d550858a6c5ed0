package io.authrelay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "stop",
        description = "Stop the home's daemon gracefully (in-flight requests finish), like SIGTERM; for a daemon the"
                + " MCP server started in the background.")
final class StopCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    StopCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Api api = context.api();
        var answer = api.post("/v1/shutdown", Map.of());
        Output.result(
                context,
                json,
                answer,
                "stopping the daemon (" + api.config().endpoint().describe() + ")");
        return ExitCodes.OK;
    }
}
