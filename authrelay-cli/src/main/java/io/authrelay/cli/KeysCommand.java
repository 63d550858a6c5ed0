package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import io.authrelay.core.DomainException;
import io.authrelay.server.vault.KeysetFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "keys",
        description = "Inspect and rotate the vault's encryption keys.",
        mixinStandardHelpOptions = true,
        subcommands = {
            KeysCommand.Status.class,
            KeysCommand.Rotate.class,
            KeysCommand.Add.class,
            KeysCommand.Promote.class,
            KeysCommand.Reseal.class
        })
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

    /** What rotate and reseal print: the primary key, how many secrets were re-encrypted, and the keys. */
    private static void printResult(CliContext context, boolean json, String primaryLabel, JsonNode result) {
        if (json) {
            Output.json(context.out(), result);
            return;
        }
        context.out()
                .println(primaryLabel + " " + result.path("primary_key_id").asString() + "; re-encrypted "
                        + result.path("resealed").asString() + " secrets");
        printKeys(context, result.path("keys"));
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

    @Command(
            name = "add",
            description = "Offline, phase 1 of a rotation across replicas: add an enabled, non-primary key to a keyset"
                    + " file (then give it to every replica and restart each); prints the new key's id.")
    static final class Add implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--keyset", required = true, description = "The keyset file to edit (a copy, owner-only).")
        Path keyset;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            long id = offline(() -> new KeysetFile(keyset).add());
            context.out().println(id);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "promote",
            description = "Offline, phase 2 of a rotation across replicas: make KEY_ID the primary key of a keyset file"
                    + " (then give it to every replica, restart each, and run: authrelay keys reseal).")
    static final class Promote implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The id printed by: authrelay keys add.")
        long keyId;

        @Option(names = "--keyset", required = true, description = "The keyset file to edit (a copy, owner-only).")
        Path keyset;

        Promote(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            offline(() -> {
                new KeysetFile(keyset).promote(keyId);
                return keyId;
            });
            context.out().println("key " + keyId + " is now the primary of " + keyset);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "reseal",
            description = "Re-encrypt every secret under the daemon's primary key (after every replica runs with the"
                    + " promoted keyset).")
    static final class Reseal implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Reseal(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            printResult(context, json, "primary key", context.api().post("/v1/keys/reseal", java.util.Map.of()));
            return ExitCodes.OK;
        }
    }

    /** An edit of a keyset file, its refusals as exit codes: 3 for an id or file that is not there, else 1. */
    private static long offline(java.util.function.LongSupplier edit) {
        try {
            return edit.getAsLong();
        } catch (DomainException e) {
            int code = e.kind() == DomainException.Kind.NOT_FOUND ? ExitCodes.NOT_FOUND : ExitCodes.FAILED;
            throw new CliFailure(code, e.getMessage(), e.hint());
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
            printResult(context, json, "new primary key", context.api().post("/v1/keys/rotate", java.util.Map.of()));
            return ExitCodes.OK;
        }
    }
}
