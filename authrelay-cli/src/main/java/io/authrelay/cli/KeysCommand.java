package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(
        name = "keys",
        description = "Inspect and rotate the vault's encryption keys.",
        mixinStandardHelpOptions = true,
        subcommands = {KeysCommand.Status.class, KeysCommand.Rotate.class})
final class KeysCommand {

    static void printKeys(CliContext context, JsonNode keys) {
        Output.table(
                context.out(),
                keys,
                List.of(
                        new Column("KEY", k -> k.path("key").path("id").asString()),
                        new Column("PRIMARY", k -> k.path("key").path("primary").asBoolean() ? "yes" : ""),
                        new Column("STATUS", k -> k.path("key").path("status").asString()),
                        new Column("SECRETS", k -> k.path("secrets").asString())));
    }

    @Command(name = "status", description = "Show the keys and how many secrets each protects.")
    static final class Status implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Status(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode keys = context.api().get("/v1/keys");
            if (json) Output.json(context.out(), keys);
            else printKeys(context, keys.path("keys"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate", description = "Add a new primary key and re-encrypt every secret with it, online.")
    static final class Rotate implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Rotate(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode result = context.api().post("/v1/keys/rotate", java.util.Map.of());
            if (json) {
                Output.json(context.out(), result);
            } else {
                context.out()
                        .println("new primary key "
                                + result.path("primary_key_id").asString() + "; re-encrypted "
                                + result.path("resealed").asString() + " secrets");
                printKeys(context, result.path("keys"));
            }
            return ExitCodes.OK;
        }
    }
}
