package io.authrelay.core.clilogin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One way to run a CLI's login.
 *
 * @param args the arguments after the driver's command; empty with {@code input: api_key} and no command means the
 *     key is stored directly without running anything
 * @param pty whether the CLI needs a terminal (a PTY) or works with plain pipes
 * @param input what the user relays into the run: {@code none} (device), {@code paste} (a code typed into the CLI),
 *     {@code callback_url} (the browser's final redirect, replayed to the CLI's loopback server after its state is
 *     checked), {@code api_key} (a key written to the CLI's stdin, then stdin closed)
 * @param environment variables for this mode only, on top of the driver's
 * @param answers prompts the broker answers itself (a pattern on the ANSI-stripped output, and what to type)
 * @param patterns what the broker looks for in the output
 * @param exclusive a machine-wide lock every run of this mode takes (e.g. codex's fixed callback port 1455); null when
 *     runs may overlap
 * @param timeout how long a run may take before it is killed
 * @param browserUrls whether a URL the CLI hands to a browser counts as its URL; off when the printed URL is another
 *     one (Claude prints a paste-code URL but opens a loopback-callback one)
 * @param completionFile a file (relative to the run's home) whose appearance means the login is done, for CLIs that
 *     go on with something else after it (Gemini starts its full-screen app); null for none
 */
public record LoginMode(
        List<String> args,
        boolean pty,
        String input,
        Map<String, String> environment,
        List<PromptAnswer> answers,
        OutputPatterns patterns,
        String exclusive,
        Duration timeout,
        Boolean browserUrls,
        String completionFile) {

    public static final String INPUT_NONE = "none";
    public static final String INPUT_PASTE = "paste";
    public static final String INPUT_CALLBACK_URL = "callback_url";
    public static final String INPUT_API_KEY = "api_key";

    public LoginMode {
        args = args == null ? List.of() : List.copyOf(args);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        answers = answers == null ? List.of() : List.copyOf(answers);
        if (input == null) input = INPUT_NONE;
        if (browserUrls == null) browserUrls = true;
    }

    /** An api-key mode with no command: the key is kept as it is and nothing is run. */
    public boolean storesKeyDirectly() {
        return INPUT_API_KEY.equals(input) && args.isEmpty();
    }

    /** @param expect a regular expression on one ANSI-stripped line; @param send typed as is ({@code \r} for Enter) */
    public record PromptAnswer(String expect, String send) {}

    /**
     * Regular expressions on ANSI-stripped output. {@code url} and {@code code} capture group 1 when they have one,
     * else the whole match; {@code failure}'s line is the reason a failed login shows. Any may be null.
     */
    public record OutputPatterns(String url, String code, String inputPrompt, String success, String failure) {}
}
