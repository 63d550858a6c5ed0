package io.authrelay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * A subcommand that asks the daemon to do one thing to one named thing ({@code POST /v1/COLLECTION/NAME/ACTION}, no
 * body) and says what it did: revoking a workspace or an API token, cancelling a login.
 */
abstract class NamedAction implements Callable<Integer> {
    private final CliContext context;
    private final String collection;
    private final String action;
    private final String done;

    /** Set by each subcommand's own {@code @Parameters} setter, whose label says what the name is. */
    String name;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** @param done what happened, before the name: "revoked workspace" */
    NamedAction(CliContext context, String collection, String action, String done) {
        this.context = context;
        this.collection = collection;
        this.action = action;
        this.done = done;
    }

    @Override
    public Integer call() {
        JsonNode result =
                context.api().post("/v1/" + collection + "/" + PathSegment.encode(name) + "/" + action, Map.of());
        Output.result(context, json, result, done + " " + name);
        return ExitCodes.OK;
    }
}
