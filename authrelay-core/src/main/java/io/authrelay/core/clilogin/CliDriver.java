package io.authrelay.core.clilogin;

import java.util.List;
import java.util.Map;

/**
 * Everything vendor-specific about signing in with one AI CLI, read from a driver file (shipped as data, overridden
 * in providers.yaml): how to run each login mode, what its output looks like, which file holds the credential it
 * wrote, how that credential is refreshed, and how an access-only copy is handed to a workspace. No class names a
 * vendor; a new CLI is a new driver file.
 *
 * @param type the provider type users name ({@code codex}, {@code claude-code}, {@code gemini-cli}, ...)
 * @param host where the credential is presented: the host a workspace grant names
 * @param command the executable, looked up on the daemon's PATH unless absolute
 * @param defaultMode the mode a login uses when none is asked for
 * @param environment variables every run gets besides the allow-listed ones; {@code ${HOME}} is the run's home
 * @param prepare files written into the run's private home before the CLI starts (relative paths)
 * @param capture where each kind of credential ({@code oauth}, {@code api_key}) is found after a login
 * @param delivery how each kind of credential is handed to a workspace
 * @param relay how the CLI's API calls go through the credential relay, or null when they cannot
 */
public record CliDriver(
        String type,
        String host,
        String command,
        String defaultMode,
        Map<String, LoginMode> modes,
        Map<String, String> environment,
        List<FileTemplate> prepare,
        Map<String, CredentialCapture> capture,
        RefreshSpec refresh,
        Map<String, Delivery> delivery,
        RelaySpec relay) {

    public CliDriver {
        modes = Map.copyOf(modes);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        prepare = prepare == null ? List.of() : List.copyOf(prepare);
        capture = capture == null ? Map.of() : Map.copyOf(capture);
        delivery = delivery == null ? Map.of() : Map.copyOf(delivery);
    }

    public static final String OAUTH = "oauth";
    public static final String API_KEY = "api_key";

    /** An API key has no scopes: its credential's scopes say this instead, so delivery knows which form to use. */
    public static final String API_KEY_SCOPE = "api-key";

    /** The kind of credential a mode leaves behind: an API key for api-key modes, an OAuth credential otherwise. */
    public static String credentialKind(LoginMode mode) {
        return LoginMode.INPUT_API_KEY.equals(mode.input()) ? API_KEY : OAUTH;
    }
}
