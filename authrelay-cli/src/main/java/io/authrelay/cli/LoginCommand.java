package io.authrelay.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "login",
        description = "Start (or rejoin) a device-flow login and follow it until it ends.",
        subcommands = LoginCommand.Cancel.class)
final class LoginCommand implements Callable<Integer> {
    private static final char[] SPINNER = {'|', '/', '-', '\\'};

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "PROVIDER")
    String provider;

    @Option(names = "--no-wait", description = "Print the code and return; the daemon finishes the login.")
    boolean noWait;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Api api = context.api();
        JsonNode session = api.post("/v1/logins", Map.of("provider", provider));
        if (json) {
            Output.json(context.out(), session);
        } else {
            String complete = Output.text(session, "verification_uri_complete");
            context.out()
                    .printf(
                            "%s%nTo connect %s, open %s and enter the code %s%n",
                            session.path("already_pending").asBoolean()
                                    ? "(a login for " + provider + " was already pending; following it)"
                                    : "",
                            provider,
                            Output.text(session, "verification_uri"),
                            Output.text(session, "user_code"));
            if (!"-".equals(complete)) context.out().printf("or open %s%n", complete);
            context.out()
                    .printf(
                            "The code expires at %s. Session %s.%n",
                            Output.text(session, "expires_at"), Output.text(session, "session"));
            context.out().flush();
        }
        if (noWait) return ExitCodes.OK;
        return follow(api, session.path("session").asString());
    }

    private int follow(Api api, String sessionId) throws InterruptedException {
        boolean tty = !json && isTerminal();
        String lastStatus = "";
        int tick = 0;
        while (true) {
            JsonNode session = api.get("/v1/logins/" + PathSegment.encode(sessionId));
            String status = session.path("status").asString();
            if (!status.equals("pending") && !status.equals("awaiting_user")) {
                if (tty) context.err().print("\r\033[K");
                return finish(session, status);
            }
            if (tty) {
                long left = Duration.between(
                                Instant.now(),
                                Instant.parse(session.path("expires_at").asString()))
                        .toSeconds();
                context.err()
                        .printf(
                                "\r\033[K%c waiting for approval: %d:%02d left",
                                SPINNER[tick++ % SPINNER.length], left / 60, Math.max(0, left % 60));
                context.err().flush();
            } else if (!json && !status.equals(lastStatus)) {
                context.err().println("status: " + status);
                context.err().flush();
            }
            lastStatus = status;
            Thread.sleep(tty ? 250 : 1000);
        }
    }

    private int finish(JsonNode session, String status) {
        if (json) Output.json(context.out(), session);
        if (status.equals("connected")) {
            if (!json) context.out().println("connected " + provider + " as " + Output.text(session, "account"));
            context.out().flush();
            return ExitCodes.OK;
        }
        throw new CliFailure(
                ExitCodes.FAILED,
                "login " + status + ": " + Output.text(session, "reason"),
                "authrelay diagnose " + session.path("session").asString() + " shows what happened");
    }

    private static boolean isTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    @Command(name = "cancel", description = "Cancel a pending login.")
    static final class Cancel implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "SESSION")
        String session;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Cancel(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode cancelled = context.api().post("/v1/logins/" + PathSegment.encode(session) + "/cancel", Map.of());
            if (json) Output.json(context.out(), cancelled);
            else context.out().println("cancelled login " + session);
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
