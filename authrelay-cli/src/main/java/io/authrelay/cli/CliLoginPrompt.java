package io.authrelay.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The user's side of an AI-CLI login: wait for what the CLI printed, say what to do with it, and relay the answer
 * (a pasted code, the browser's final URL, an API key) from a terminal or stdin, never from argv.
 */
final class CliLoginPrompt {
    /** The vendor CLIs print their URL within a second or two; starting one under npm's node can take longer. */
    private static final Duration PROMPT_WAIT = Duration.ofSeconds(60);

    private final CliContext context;

    CliLoginPrompt(CliContext context) {
        this.context = context;
    }

    /** The session once its CLI printed a URL or code, or ended; unchanged for device-flow logins. */
    static JsonNode awaitPrompt(Api api, JsonNode started, PrintWriter err) throws InterruptedException {
        if (!started.has("input")) return started;
        String path = "/v1/logins/" + PathSegment.encode(started.path("session").asString());
        Instant giveUp = Instant.now().plus(PROMPT_WAIT);
        JsonNode session = started;
        int saidAhead = -1;
        while (LoginFollower.isActive(session.path("status").asString())
                && session.path("verification_uri").isNull()
                && session.path("user_code").isNull()
                && Instant.now().isBefore(giveUp)) {
            Thread.sleep(200);
            session = api.get(path);
            int ahead = session.path("queued_behind").asInt(-1);
            if (ahead >= 0 && ahead != saidAhead) {
                err.printf("waiting for %d other login(s) of this CLI on this machine to finish%n", ahead);
                err.flush();
                saidAhead = ahead;
            }
        }
        return session;
    }

    static void printInstructions(PrintWriter out, String provider, JsonNode session) {
        String url = Output.text(session, "verification_uri");
        String id = Output.text(session, "session");
        switch (session.path("input").asString()) {
            case "paste" ->
                out.printf(
                        "To connect %s, open %s%nsign in, and paste the code the page shows (authrelay login input %s).%n",
                        provider, url, id);
            case "callback_url" ->
                out.printf(
                        "To connect %s, open %s%nsign in; your browser then ends on a page that does not load. Copy that"
                                + " page's whole URL and relay it: authrelay login input %s%n",
                        provider, url, id);
            case "api_key" -> out.printf("Storing the API key for %s (session %s).%n", provider, id);
            default ->
                out.printf(
                        "To connect %s, open %s and enter the code %s%n",
                        provider, url, Output.text(session, "user_code"));
        }
        out.flush();
    }

    /** At a terminal, asks for the answer the login waits for and relays it; elsewhere says how to. */
    void relayAnswer(Api api, JsonNode session) {
        String input = session.path("input").asString("");
        if (!input.equals("paste") && !input.equals("callback_url")) return;
        if (!LoginFollower.isActive(session.path("status").asString())) return;
        String id = session.path("session").asString();
        if (!Terminal.isInteractive(0)) {
            context.err().printf("relay the answer with: authrelay login input %s%n", id);
            context.err().flush();
            return;
        }
        String answer = readSecret(context, input.equals("paste") ? "Code: " : "Final URL: ");
        api.post("/v1/logins/" + PathSegment.encode(id) + "/input", Map.of("input", answer));
    }

    /** A secret from the terminal without echo, else the whole of stdin without its trailing newline. */
    static String readSecret(CliContext context, String prompt) {
        Console console = System.console();
        String value;
        if (console != null && Terminal.isInteractive(0)) {
            char[] typed = console.readPassword("%s", prompt);
            value = typed == null ? "" : new String(typed);
        } else {
            value = readAll(context).strip();
        }
        if (value.isEmpty()) {
            throw new CliFailure(ExitCodes.USAGE, "nothing was read from stdin", "pipe it in, e.g. < keyfile");
        }
        return value;
    }

    private static String readAll(CliContext context) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            context.stdin().transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILED, "could not read stdin: " + e.getMessage(), null);
        }
    }
}
