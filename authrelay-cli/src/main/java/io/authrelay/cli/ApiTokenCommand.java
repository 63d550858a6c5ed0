package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "api-token",
        description = "Manage API tokens: scoped, revocable tokens for Prometheus, dashboards and scripts.",
        mixinStandardHelpOptions = true,
        subcommands = {ApiTokenCommand.Create.class, ApiTokenCommand.ListTokens.class, ApiTokenCommand.Revoke.class})
final class ApiTokenCommand {

    @Command(
            name = "create",
            description = "Create an API token and print it once, alone on stdout (so it can go straight to a file).")
    static final class Create implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--scope",
                required = true,
                paramLabel = "metrics|read|admin",
                description = "metrics: GET /metrics only; read: every read but secrets; admin: what the admin token"
                        + " can do.")
        String scope;

        @Option(names = "--json", description = "Print JSON (the token included).")
        boolean json;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode created = context.api().post("/v1/api-tokens", Map.of("name", name, "scope", scope));
            if (json) {
                Output.json(context.out(), created);
                return ExitCodes.OK;
            }
            context.out().println(Output.text(created, "token"));
            context.out().flush();
            context.err()
                    .printf(
                            "created API token %s (scope %s); the token above is shown once%n",
                            Output.text(created, "name"), Output.text(created, "scope"));
            context.err().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List API tokens (never the tokens themselves).")
    static final class ListTokens implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListTokens(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode list = context.api().get("/v1/api-tokens");
            if (json) {
                Output.json(context.out(), list);
                return ExitCodes.OK;
            }
            Output.table(
                    context.out(),
                    list.path("api_tokens"),
                    List.of(
                            Column.field("NAME", "name"),
                            Column.field("SCOPE", "scope"),
                            Column.field("STATE", "state"),
                            Column.field("CREATED", "created_at"),
                            Column.field("LAST USED", "last_used_at")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke an API token; it fails from the next request on.")
    static final class Revoke extends NamedAction {
        Revoke(CliContext context) {
            super(context, "api-tokens", "revoke", "revoked API token");
        }

        @Parameters(index = "0", paramLabel = "NAME")
        void name(String name) {
            this.name = name;
        }
    }
}
