package io.authrelay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(
        name = "console-link",
        description = "Print a one-time link that signs a browser into the web console: it works once, for five"
                + " minutes, at this daemon only. Needs the admin token (the daemon's user, or AUTHRELAY_TOKEN).")
final class ConsoleLinkCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    ConsoleLinkCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        JsonNode answer = context.api().post("/v1/console/links", Map.of());
        // The secret is in the fragment (after #): the browser keeps it from every server log and Referer.
        Output.result(
                context,
                json,
                answer,
                answer.path("url").asString() + "\n(one use, expires "
                        + answer.path("expires_at").asString() + ")");
        return ExitCodes.OK;
    }
}
