package io.authrelay.cli;

import io.authrelay.core.Version;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "version", description = "Print the CLI's version and API version.")
final class VersionCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    VersionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (json) Output.json(context.out(), Map.of("version", Version.PRODUCT, "api_version", Version.API_VERSION));
        else context.out().println("authrelay " + Version.PRODUCT + " (API v" + Version.API_VERSION + ")");
        context.out().flush();
        return ExitCodes.OK;
    }
}
