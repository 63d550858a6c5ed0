package io.authrelay.mcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What each tool does, in terms of the daemon's API. Results are a sentence for the model plus structured
 * content; nothing here ever asks the daemon for a token, so no tool can return one.
 */
final class AuthTools {
    record Result(String text, Map<String, Object> structured) {}

    private final BrokerApi daemon;

    AuthTools(BrokerApi daemon) {
        this.daemon = daemon;
    }

    /** @param force start a new login although the provider is connected; without it, a connected one is reported */
    Result login(String provider, String scopes, boolean force, boolean githubOnly) {
        String name = provider != null ? provider : defaultProvider(githubOnly);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", name);
        if (scopes != null && !scopes.isBlank()) body.put("scopes", scopes);
        if (force) body.put("force", true);
        JsonNode s;
        try {
            s = daemon.post("/v1/logins", body);
        } catch (ToolFailure failure) {
            if (!"already_connected".equals(failure.code())) throw failure;
            return alreadyConnected(name, failure.getMessage());
        }
        if (s.has("input")) return cliLogin(name, awaitPrompt(s));
        String complete = s.path("verification_uri_complete").asString(null);
        String text =
                (s.path("already_pending").asBoolean() ? "A login for " + name + " was already in progress. " : "")
                        + "Ask the user to open " + s.path("verification_uri").asString() + " and enter the code "
                        + s.path("user_code").asString() + (complete == null ? "" : " (or open " + complete + ")")
                        + ". The code expires at " + s.path("expires_at").asString() + " ("
                        + s.path("seconds_left").asLong() + "s left)."
                        + " The authrelay daemon finishes the login even if this MCP server exits; check it with check_github_auth or auth_status.";
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("provider", name);
        structured.put("session", s.path("session").asString());
        structured.put("status", s.path("status").asString());
        structured.put("verification_uri", s.path("verification_uri").asString());
        structured.put("verification_uri_complete", complete);
        structured.put("user_code", s.path("user_code").asString());
        structured.put("expires_at", s.path("expires_at").asString());
        structured.put("already_pending", s.path("already_pending").asBoolean());
        return new Result(text, structured);
    }

    /** An AI CLI prints its URL a moment after it starts: wait for it (or the login's end) before answering. */
    private JsonNode awaitPrompt(JsonNode started) {
        String path = "/v1/logins/" + started.path("session").asString();
        JsonNode s = started;
        for (int i = 0;
                i < 150
                        && isActive(s)
                        && s.path("verification_uri").isNull()
                        && s.path("user_code").isNull();
                i++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = daemon.get(path);
        }
        return s;
    }

    private static boolean isActive(JsonNode session) {
        String status = session.path("status").asString();
        return status.equals("pending") || status.equals("awaiting_user");
    }

    private static Result cliLogin(String name, JsonNode s) {
        String session = s.path("session").asString();
        String url = s.path("verification_uri").asString(null);
        String text = switch (s.path("input").asString()) {
            case "paste" ->
                "Ask the user to open " + url + ", sign in, and paste the code the page shows into"
                        + " `authrelay login input " + session + "` in their own terminal.";
            case "callback_url" ->
                "Ask the user to open " + url + ", sign in, and relay the URL their browser ends on"
                        + " with `authrelay login input " + session + "` in their own terminal.";
            default ->
                "Ask the user to open " + url + " and enter the code "
                        + s.path("user_code").asString() + ".";
        };
        if (!isActive(s))
            text = "The login of " + name + " ended: " + s.path("status").asString()
                    + (s.path("reason").isNull() ? "" : " (" + s.path("reason").asString() + ")") + ".";
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("provider", name);
        structured.put("session", session);
        structured.put("status", s.path("status").asString());
        structured.put("verification_uri", url);
        structured.put("user_code", s.path("user_code").asString(null));
        structured.put("input", s.path("input").asString(null));
        return new Result(text + " The authrelay daemon finishes the login even if this MCP server exits.", structured);
    }

    private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("ls_[A-Za-z0-9_-]{1,64}");

    /** Relays login input for a provider that allows it from MCP; the daemon refuses it for every other. */
    Result input(String session, String input) {
        // The id goes into the request's path: "ls_x/cancel?" would reach another route of the same login.
        if (session == null || !SESSION_ID.matcher(session).matches())
            throw new ToolFailure("'session' must be a login session id (ls_...), as auth_login returned it");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", input);
        body.put("from_agent", true);
        JsonNode s = daemon.post("/v1/logins/" + session + "/input", body);
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("session", session);
        structured.put("status", s.path("status").asString());
        return new Result(
                "Relayed to login " + session + "; it is " + s.path("status").asString() + ".", structured);
    }

    private static Result alreadyConnected(String name, String message) {
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("provider", name);
        structured.put("status", "already_connected");
        return new Result(
                message.replaceFirst(" \\(.*$", "") + ". No login was started. Only if the user wants to sign in"
                        + " again (another account or other scopes), call this tool again with force=true.",
                structured);
    }

    Result status(String provider, boolean githubOnly) {
        List<String> names =
                provider != null ? List.of(provider) : githubOnly ? List.of(defaultProvider(true)) : allProviders();
        JsonNode status = daemon.get("/v1/status");
        List<Map<String, Object>> states = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> state = stateOf(name, status);
            states.add(state);
            lines.add(String.valueOf(state.get("summary")));
        }
        if (names.isEmpty())
            lines.add(
                    "No providers are configured: add one with `authrelay provider add NAME --type github --client-id ID`.");
        return new Result(String.join("\n", lines), Map.of("providers", states));
    }

    Result diagnose(String target, boolean verbose) {
        JsonNode version = daemon.versionOrNull();
        Map<String, Object> structured = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        structured.put("daemon_up", version != null);
        if (version == null) {
            lines.add("The authrelay daemon is not reachable (" + daemon.where() + ").");
            String refusal = daemon.autostartRefusal();
            lines.add(
                    refusal == null
                            ? "This MCP server starts the daemon itself at the next tool call that needs it (any tool"
                                    + " but oauth_helper_status); or start it with `authrelay server`, then run"
                                    + " `authrelay doctor`."
                            : "Auto-start is off (" + refusal + "): start the daemon with `authrelay server`, then"
                                    + " run `authrelay doctor`.");
            return new Result(String.join("\n", lines), structured);
        }
        JsonNode status = daemon.get("/v1/status");
        double heartbeat = status.path("scheduler_heartbeat_age_seconds").asDouble(-1);
        structured.put("daemon_version", version.path("version").asString());
        structured.put("api_version", version.path("api_version").asInt());
        structured.put("scheduler_heartbeat_age_seconds", heartbeat < 0 ? null : heartbeat);
        lines.add("Daemon " + version.path("version").asString() + " is up (" + daemon.where() + ")"
                + "; scheduler heartbeat " + (heartbeat < 0 ? "never seen" : String.format("%.1fs ago", heartbeat))
                + (heartbeat > 30 ? " (STALE: pending logins are not being polled)" : "") + ".");
        List<Map<String, Object>> pending = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (JsonNode login : status.path("logins")) {
            String state = login.path("status").asString();
            if (state.equals("pending") || state.equals("awaiting_user")) {
                pending.add(Map.of(
                        "session",
                        login.path("session").asString(),
                        "provider",
                        login.path("provider").asString(),
                        "user_code",
                        login.path("user_code").asString(),
                        "seconds_left",
                        login.path("seconds_left").asLong(),
                        "polls",
                        login.path("polls").asInt(),
                        "last_result",
                        login.path("last_result").asString("")));
            } else if (!state.equals("connected") && !state.equals("cancelled")) {
                errors.add(login.path("provider").asString() + ": login " + state + " ("
                        + login.path("reason").asString("") + ")");
            }
        }
        for (JsonNode p : status.path("providers")) {
            if (!p.path("last_error").isNull() && !p.path("last_error").isMissingNode())
                errors.add(
                        p.path("name").asString() + ": " + p.path("last_error").asString());
        }
        structured.put("pending_logins", pending);
        structured.put("last_errors", errors);
        lines.add(
                pending.isEmpty()
                        ? "No logins are pending."
                        : pending.size() + " login(s) pending: "
                                + pending.stream()
                                        .map(p -> p.get("provider") + " code " + p.get("user_code") + " ("
                                                + p.get("polls") + " polls, last " + p.get("last_result") + ")")
                                        .toList());
        if (!errors.isEmpty()) lines.add("Recent errors: " + String.join("; ", errors));
        String subject = target != null
                ? target
                : status.path("providers")
                        .valueStream()
                        .map(p -> p.path("name").asString())
                        .findFirst()
                        .orElse(null);
        if (subject != null) {
            JsonNode diagnosis = daemon.get(
                    "/v1/diagnose/" + java.net.URLEncoder.encode(subject, java.nio.charset.StandardCharsets.UTF_8));
            List<JsonNode> timeline = diagnosis.path("timeline").valueStream().toList();
            int keep = verbose ? 100 : 8;
            List<String> tail = timeline.subList(Math.max(0, timeline.size() - keep), timeline.size()).stream()
                    .map(e -> e.path("at").asString() + " " + e.path("kind").asString()
                            + (e.path("code").isNull()
                                    ? ""
                                    : " " + e.path("code").asString())
                            + (e.path("count").asInt(1) > 1
                                    ? " x" + e.path("count").asInt()
                                    : "")
                            + (e.path("detail").isNull()
                                    ? ""
                                    : " - " + e.path("detail").asString()))
                    .toList();
            structured.put("subject", subject);
            structured.put("state", diagnosis.path("state").asString());
            structured.put("summary", diagnosis.path("summary").asString());
            structured.put("advice", diagnosis.path("advice").asString());
            structured.put("timeline", tail);
            lines.add(subject + ": " + diagnosis.path("summary").asString() + " What to do: "
                    + diagnosis.path("advice").asString());
            if (!tail.isEmpty()) lines.add("Timeline (last " + tail.size() + "):\n  " + String.join("\n  ", tail));
        }
        lines.add(
                "Troubleshooting: `authrelay status` shows every connection and login; `authrelay diagnose PROVIDER` the full timeline;"
                        + " a stale heartbeat means the daemon's scheduler is stopped (restart `authrelay server`); a failed login needs a new `auth_login`.");
        return new Result(String.join("\n", lines), structured);
    }

    private Map<String, Object> stateOf(String name, JsonNode status) {
        JsonNode provider = status.path("providers")
                .valueStream()
                .filter(p -> p.path("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new ToolFailure(
                        "provider '" + name + "' is not configured: add it with `authrelay provider add " + name
                                + " --type github --client-id ID`"));
        JsonNode latest = status.path("logins")
                .valueStream()
                .filter(l -> l.path("provider").asString().equals(name))
                .findFirst()
                .orElse(null);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("provider", name);
        String credential = provider.path("credential_state").asString();
        String loginStatus = latest == null ? null : latest.path("status").asString();
        boolean loginNewer = latest != null
                && (credential.equals("none")
                        || Instant.parse(latest.path("updated_at").asString())
                                .isAfter(Instant.parse(
                                        provider.path("credential_updated_at").asString())));
        if (latest != null && (loginStatus.equals("pending") || loginStatus.equals("awaiting_user"))) {
            state.put("state", "in_progress");
            state.put("user_code", latest.path("user_code").asString());
            state.put("verification_uri", latest.path("verification_uri").asString());
            state.put("seconds_left", latest.path("seconds_left").asLong());
            state.put("poller_alive", latest.path("poller_alive").asBoolean());
            state.put(
                    "summary",
                    name + ": login in progress; the user should enter code "
                            + latest.path("user_code").asString() + " at "
                            + latest.path("verification_uri").asString() + " ("
                            + latest.path("seconds_left").asLong() + "s left; the daemon's poller is "
                            + (latest.path("poller_alive").asBoolean()
                                    ? "alive"
                                    : "NOT running: restart `authrelay server`")
                            + ").");
        } else if (credential.equals("connected")) {
            state.put("state", "connected");
            state.put("account", provider.path("account").asString(null));
            state.put("scopes", provider.path("scopes").asString(null));
            state.put("expires_at", provider.path("expires_at").asString(null));
            state.put(
                    "summary",
                    name + ": connected as " + provider.path("account").asString("unknown")
                            + (provider.path("scopes").isNull()
                                    ? ""
                                    : " with scopes " + provider.path("scopes").asString())
                            + (provider.path("expires_at").isNull()
                                    ? " (the token does not expire)."
                                    : "; the token expires at "
                                            + provider.path("expires_at").asString()
                                            + " and is refreshed automatically."));
        } else if (loginNewer && List.of("failed", "denied", "expired").contains(loginStatus)) {
            state.put("state", loginStatus);
            state.put("reason", latest.path("reason").asString(""));
            state.put(
                    "summary",
                    name + ": the last login " + loginStatus + " ("
                            + latest.path("reason").asString("") + "). Start a new one with "
                            + "setup_github_auth or auth_login; auth_diagnose shows the timeline.");
        } else if (credential.equals("needs_reauth")) {
            state.put("state", "needs_reauth");
            state.put("reason", provider.path("last_error").asString(""));
            state.put(
                    "summary",
                    name + ": needs a new login (" + provider.path("last_error").asString("")
                            + "); start one with auth_login.");
        } else {
            state.put("state", "not_connected");
            state.put("summary", name + ": not connected; start a login with setup_github_auth or auth_login.");
        }
        return state;
    }

    /**
     * The provider a tool means when it names none: the one named {@code github}; else the only one of the kind the
     * tool serves; else the tool fails and lists the choices, rather than guess.
     */
    private String defaultProvider(boolean githubOnly) {
        List<JsonNode> candidates = daemon.get("/v1/providers")
                .path("providers")
                .valueStream()
                .filter(p -> githubOnly
                        ? p.path("type").asString().equals("github")
                        : !p.path("type").asString().equals("static"))
                .toList();
        List<String> names =
                candidates.stream().map(p -> p.path("name").asString()).toList();
        if (names.contains("github")) return "github";
        if (names.size() == 1) return names.get(0);
        String kind = githubOnly ? "GitHub" : "login";
        if (names.isEmpty()) {
            throw new ToolFailure("no " + kind + " provider is configured: add one with "
                    + "`authrelay provider add github --type github --client-id ID`");
        }
        throw new ToolFailure(names.size() + " " + kind + " providers are configured (" + String.join(", ", names)
                + ") and none is named github: pass provider");
    }

    private List<String> allProviders() {
        return daemon.get("/v1/providers")
                .path("providers")
                .valueStream()
                .map(p -> p.path("name").asString())
                .toList();
    }
}
