package io.authrelay.core.clilogin;

import io.authrelay.core.vault.Secret;

/**
 * Runs AI-CLI logins as processes on this replica. A run reports to its {@link CliRunEvents} from its own thread;
 * the login session is the durable record of it.
 */
public interface CliRunPort {
    /**
     * Starts the CLI for {@code request} and returns at once.
     *
     * @param apiKey written to the CLI's stdin for api-key modes, else null
     */
    void start(CliRunRequest request, Secret apiKey, CliRunEvents events);

    /** Relays what the user answered into the run; the run checks a callback URL before replaying it. */
    InputResult input(String sessionId, Secret input);

    /** @return false when this replica has no run for the session */
    boolean cancel(String sessionId);

    /** Runs still going; their sessions are not orphans. */
    boolean isRunning(String sessionId);

    record CliRunRequest(String sessionId, String provider, CliDriver driver, String modeName, LoginMode mode) {}

    /** What happened to relayed input: sent to the CLI, refused before it reached it (and why), or no such run. */
    sealed interface InputResult {
        record Sent() implements InputResult {}

        record Refused(String reason) implements InputResult {}

        record NoRun() implements InputResult {}
    }
}
