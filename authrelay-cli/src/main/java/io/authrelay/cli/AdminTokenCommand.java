package io.authrelay.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.authrelay.core.token.Tokens;
import io.authrelay.server.home.AdminTokenFile;
import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "admin-token",
        description = "Manage the admin token.",
        mixinStandardHelpOptions = true,
        subcommands = {AdminTokenCommand.Rotate.class, AdminTokenCommand.Generate.class})
final class AdminTokenCommand {

    @Command(
            name = "generate",
            description = "Write a new admin token to FILE (created 0600) for daemons that share a PostgreSQL database:"
                    + " name FILE in AUTHRELAY_ADMIN_TOKEN_FILE on every replica. Needs no daemon; prints no secret.")
    static final class Generate implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the token; must not exist.")
        Path file;

        Generate(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Path target = file.toAbsolutePath();
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliFailure(
                        ExitCodes.USAGE, target + " already exists", "choose a new file; a token is never overwritten");
            }
            try {
                PrivateFiles.writeAtomically(target, (Tokens.generate(Tokens.ADMIN_PREFIX) + "\n").getBytes(UTF_8));
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.FAILED, "cannot write " + target + ": " + e.getMessage(), null);
            }
            context.out()
                    .println("wrote a new admin token to " + target + " (0600); set " + AdminTokenFile.PROVISIONED_ENV
                            + "=" + target + " for every replica");
            context.out().flush();
            return ExitCodes.OK;
        }
    }

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
