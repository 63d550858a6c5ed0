package io.authrelay.cli;

import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * Follows a login until it ends, the way a person watches it: a spinner with the time left on a terminal (cleared
 * before the last line), one line per change of state otherwise. The daemon owns the login, so when the daemon stops
 * answering (a restart) the follower says so and keeps waiting until the code would have expired.
 */
final class LoginFollower {
    private static final char[] SPINNER = {'|', '/', '-', '\\'};
    private static final String CLEAR_LINE = "\r\033[K";

    private final CliContext context;
    private final String provider;
    private final boolean json;
    private final boolean tty;

    LoginFollower(CliContext context, String provider, boolean json) {
        this.context = context;
        this.provider = provider;
        this.json = json;
        this.tty = !json && Terminal.isInteractive(2);
    }

    static boolean isActive(String status) {
        return status.equals("pending") || status.equals("awaiting_user");
    }

    int follow(Api api, JsonNode started) throws InterruptedException {
        String id = started.path("session").asString();
        Instant expires = Instant.parse(started.path("expires_at").asString());
        String lastStatus = "";
        boolean daemonAway = false;
        int tick = 0;
        try {
            while (true) {
                JsonNode session;
                try {
                    session = api.get("/v1/logins/" + PathSegment.encode(id));
                } catch (CliFailure failure) {
                    if (failure.exitCode() != ExitCodes.UNREACHABLE
                            || Instant.now().isAfter(expires)) throw failure;
                    if (!daemonAway) say("the daemon is not answering; the login goes on when it is back, waiting...");
                    daemonAway = true;
                    Thread.sleep(1000);
                    continue;
                }
                if (daemonAway) say("the daemon is back");
                daemonAway = false;
                String status = session.path("status").asString();
                if (!isActive(status)) {
                    clearSpinner();
                    return finish(session, status);
                }
                if (tty) {
                    long left =
                            Math.max(0, Duration.between(Instant.now(), expires).toSeconds());
                    context.err()
                            .printf(
                                    CLEAR_LINE + "%c waiting for approval: %d:%02d left",
                                    SPINNER[tick++ % SPINNER.length],
                                    left / 60,
                                    left % 60);
                    context.err().flush();
                } else if (!json && !status.equals(lastStatus)) {
                    say("status: " + status);
                }
                lastStatus = status;
                Thread.sleep(tty ? 250 : 1000);
            }
        } finally {
            clearSpinner();
        }
    }

    private void say(String line) {
        if (json) return;
        clearSpinner();
        context.err().println(line);
        context.err().flush();
    }

    private void clearSpinner() {
        if (!tty) return;
        context.err().print(CLEAR_LINE);
        context.err().flush();
    }

    private int finish(JsonNode session, String status) {
        if (json) Output.json(context.out(), session);
        if (status.equals("connected")) {
            String account = session.path("account").asString(null);
            if (!json) context.out().println("connected " + provider + (account == null ? "" : " as " + account));
            context.out().flush();
            return ExitCodes.OK;
        }
        throw new CliFailure(
                ExitCodes.FAILED,
                "login " + status + ": " + Output.text(session, "reason"),
                "authrelay diagnose " + session.path("session").asString() + " shows what happened");
    }
}
