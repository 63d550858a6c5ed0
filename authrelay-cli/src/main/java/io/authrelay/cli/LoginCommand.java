package io.authrelay.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import tools.jackson.databind.JsonNode;

@Command(
        name = "login",
        description = {
            "Start (or rejoin) a login for PROVIDER and follow it until it ends.",
            "The daemon owns the login: leave with Ctrl-C and it goes on; rejoin with the same command."
        },
        subcommands = {
            LoginCommand.Cancel.class,
            LoginCommand.ListLogins.class,
            LoginCommand.Input.class,
            LoginCommand.Confirm.class
        })
final class LoginCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROVIDER")
    String provider;

    @Option(names = "--no-wait", description = "Print the code and return; the daemon finishes the login.")
    boolean noWait;

    @Option(
            names = "--force",
            description = "Log in again although PROVIDER is connected (another account or other scopes).")
    boolean force;

    @Option(names = "--scopes", description = "Ask for these scopes (space-separated) instead of the provider's.")
    String scopes;

    @Option(
            names = "--mode",
            description = "AI CLIs: device, browser, paste or api-key (the key is read from stdin, never argv).")
    String mode;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (provider == null) {
            throw new CliFailure(
                    ExitCodes.USAGE,
                    "name the provider to log in to",
                    "authrelay login PROVIDER; authrelay login list; authrelay login cancel SESSION");
        }
        Api api = context.api();
        JsonNode session = CliLoginPrompt.awaitPrompt(api, start(api), context.err());
        // An API key stored directly, or a CLI that failed at once: nothing to do but say how it ended.
        if (!LoginFollower.isActive(session.path("status").asString()))
            return new LoginFollower(context, provider, json).follow(api, session);
        if (json) {
            Output.json(context.out(), session);
        } else {
            printInstructions(session);
        }
        if (noWait) return ExitCodes.OK;
        String id = session.path("session").asString();
        if (!json) new CliLoginPrompt(context).relayAnswer(api, session);
        Signal.handle(new Signal("INT"), signal -> {
            context.err().println();
            context.err()
                    .println("left the login; it goes on in the daemon. Rejoin: authrelay login " + provider
                            + "; cancel: authrelay login cancel " + id);
            context.err().flush();
            Runtime.getRuntime().halt(130);
        });
        return new LoginFollower(context, provider, json).follow(api, session);
    }

    /** Starts the login; when the provider is connected, asks first at a terminal, else says how to force it. */
    private JsonNode start(Api api) {
        try {
            return api.post("/v1/logins", body(force));
        } catch (CliFailure conflict) {
            if (!"already_connected".equals(conflict.code()) || force) throw conflict;
            if (json || !Terminal.isInteractive(0)) throw conflict;
            context.err().print("authrelay: " + conflict.getMessage() + ". Log in again? [y/N] ");
            context.err().flush();
            if (!readYes()) throw new CliFailure(ExitCodes.FAILED, "login not started", conflict.hint());
            return api.post("/v1/logins", body(true));
        }
    }

    private Map<String, Object> body(boolean forced) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", provider);
        if (scopes != null) body.put("scopes", scopes);
        if (forced) body.put("force", true);
        if (mode != null) body.put("mode", mode);
        if ("api-key".equals(mode)) body.put("api_key", CliLoginPrompt.readSecret(context, "API key: "));
        return body;
    }

    private boolean readYes() {
        try {
            String answer =
                    new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8)).readLine();
            return answer != null
                    && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    private void printInstructions(JsonNode session) {
        if (session.path("already_pending").asBoolean()) {
            context.out().printf("(a login for %s was already pending; following it)%n", provider);
        }
        if (session.has("input")) {
            CliLoginPrompt.printInstructions(context.out(), provider, session);
            return;
        }
        context.out()
                .printf(
                        "To connect %s, open %s and enter the code %s%n",
                        provider, Output.text(session, "verification_uri"), Output.text(session, "user_code"));
        String complete = Output.text(session, "verification_uri_complete");
        if (!"-".equals(complete)) context.out().printf("or open %s%n", complete);
        context.out()
                .printf(
                        "The code expires at %s. Session %s.%n",
                        Output.text(session, "expires_at"), Output.text(session, "session"));
        context.out().flush();
    }

    @Command(name = "cancel", description = "Cancel a pending login.")
    static final class Cancel extends NamedAction {
        Cancel(CliContext context) {
            super(context, "logins", "cancel", "cancelled login");
        }

        @Parameters(index = "0", paramLabel = "SESSION")
        void name(String name) {
            this.name = name;
        }
    }

    @Command(
            name = "input",
            description = {
                "Relay your answer into a running AI-CLI login: the code the vendor showed (paste mode) or the whole",
                "URL your browser ended on (browser mode). Read from stdin, never from argv."
            })
    static final class Input implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "SESSION")
        String session;

        Input(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String answer = CliLoginPrompt.readSecret(context, "Code or URL: ");
            JsonNode result =
                    context.api().post("/v1/logins/" + PathSegment.encode(session) + "/input", Map.of("input", answer));
            context.out().printf("relayed to login %s (%s)%n", session, Output.text(result, "status"));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "confirm",
            description = "Release a credential held back because the login signed in as another account than before.")
    static final class Confirm implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "PROVIDER")
        String provider;

        Confirm(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode result = context.api()
                    .post("/v1/credentials/" + PathSegment.encode(provider) + "/confirm-account", Map.of());
            context.out()
                    .printf(
                            "%s: account %s confirmed; workspaces receive it again%n",
                            provider, Output.text(result, "account"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List recent logins (pending ones first) with their state.")
    static final class ListLogins implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--provider", description = "Only this provider's logins.")
        String provider;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListLogins(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String query = provider == null ? "" : "?provider=" + PathSegment.encode(provider);
            JsonNode logins = context.api().get("/v1/logins" + query);
            if (json) {
                Output.json(context.out(), logins);
                return ExitCodes.OK;
            }
            Output.table(context.out(), logins.path("logins"), LoginTable.COLUMNS);
            return ExitCodes.OK;
        }
    }
}
