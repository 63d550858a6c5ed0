package io.authrelay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(
        name = "admin-token",
        description = "Manage the admin token.",
        mixinStandardHelpOptions = true,
        subcommands = {AdminTokenCommand.Rotate.class})
final class AdminTokenCommand {

    @Command(
            name = "rotate",
            description = "Issue a new admin token; the old one stops working at once. The daemon rewrites admin.token"
                    + " in its home; a caller with AUTHRELAY_TOKEN gets the new token printed once instead.")
    static final class Rotate implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Rotate(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode rotated = context.api().post("/v1/admin-token/rotate", Map.of());
            if (rotated.hasNonNull("token")) return printNewToken(rotated);
            // Through the home's socket the answer holds no token: it is in the home's file, which a new client reads.
            // One request with it proves the file and the daemon agree.
            context.api().get("/v1/status");
            Output.result(
                    context,
                    json,
                    rotated,
                    "rotated the admin token; the new one is in " + Output.text(rotated, "token_file"));
            return ExitCodes.OK;
        }

        /** The caller named its own token (AUTHRELAY_TOKEN), so it has no file to read: this is its only copy. */
        private int printNewToken(JsonNode rotated) {
            if (json) {
                Output.json(context.out(), rotated);
                return ExitCodes.OK;
            }
            context.out().println(rotated.path("token").asString());
            context.out().flush();
            context.err().println("rotated the admin token; the new one is above (shown once): update AUTHRELAY_TOKEN");
            context.err().flush();
            return ExitCodes.OK;
        }
    }
}
