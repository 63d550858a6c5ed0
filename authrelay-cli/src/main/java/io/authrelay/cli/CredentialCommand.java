package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import io.authrelay.core.vault.Secret;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "credential",
        description = "Manage stored credentials.",
        mixinStandardHelpOptions = true,
        subcommands = {
            CredentialCommand.Set.class,
            CredentialCommand.ListCredentials.class,
            CredentialCommand.Delete.class
        })
final class CredentialCommand {

    @Command(name = "set", description = "Store a static provider's secret, read from stdin (never from arguments).")
    static final class Set implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "PROVIDER")
        String provider;

        Set(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String secret = readSecret();
            JsonNode saved =
                    context.api().put("/v1/credentials/" + PathSegment.encode(provider), Map.of("secret", secret));
            context.out().println("stored credential for " + provider + " (" + Output.text(saved, "state") + ")");
            context.out().flush();
            return ExitCodes.OK;
        }

        private String readSecret() {
            Console console = System.console();
            String value;
            if (context.stdin() == System.in && console != null && stdinIsTerminal()) {
                char[] typed = console.readPassword("secret for %s: ", provider);
                value = typed == null ? "" : new String(typed);
            } else {
                try {
                    byte[] bytes = context.stdin().readNBytes(Secret.MAX_LENGTH * 4 + 2);
                    value = new String(bytes, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new CliFailure(ExitCodes.FAILED, "cannot read the secret from stdin", null);
                }
                // One trailing newline is how `echo` and here-strings end a value; it is not part of the secret.
                if (value.endsWith("\r\n")) value = value.substring(0, value.length() - 2);
                else if (value.endsWith("\n")) value = value.substring(0, value.length() - 1);
            }
            if (value.isEmpty())
                throw new CliFailure(
                        ExitCodes.USAGE,
                        "no secret on stdin",
                        "pipe it in: authrelay credential set " + provider + " < secret.txt");
            if (value.length() > Secret.MAX_LENGTH)
                throw new CliFailure(
                        ExitCodes.USAGE, "the secret is longer than " + Secret.MAX_LENGTH + " characters", null);
            return value;
        }

        /** Console.isTerminal() needs JDK 22; on Linux the stdin link tells the same. */
        private static boolean stdinIsTerminal() {
            try {
                String target =
                        Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }

    @Command(name = "list", description = "List credentials (never their secrets).")
    static final class ListCredentials implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListCredentials(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode credentials = context.api().get("/v1/credentials");
            if (json) {
                Output.json(context.out(), credentials);
            } else {
                Output.table(
                        context.out(),
                        credentials.path("credentials"),
                        List.of(
                                Column.field("PROVIDER", "provider"),
                                Column.field("STATE", "state"),
                                Column.field("ACCOUNT", "account"),
                                Column.field("EXPIRES", "expires_at"),
                                Column.field("UPDATED", "updated_at")));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a provider's credential.")
    static final class Delete implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "PROVIDER")
        String provider;

        Delete(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.api().delete("/v1/credentials/" + PathSegment.encode(provider));
            context.out().println("deleted credential for " + provider);
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
