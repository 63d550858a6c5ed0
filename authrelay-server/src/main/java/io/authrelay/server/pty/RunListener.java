package io.authrelay.server.pty;

/**
 * What a run reports, from the runner's threads. Every method has a no-op default. Captures arrive once each, as soon
 * as they appear. {@link #ended} runs while the run's home still exists (read the credential file there); the home is
 * wiped as soon as it returns.
 */
public interface RunListener {
    default void queued(int position) {}

    default void lockAcquired() {}

    /** The CLI is running: its stdin takes input now (after any wait for the run's lock). */
    default void started() {}

    default void urlCaptured(String url) {}

    default void codeCaptured(String code) {}

    /** The CLI shows its input prompt and waits for a line. */
    default void inputPrompted() {}

    /** One ANSI-stripped output line, typed lines masked; not redacted otherwise. */
    default void output(String strippedLine) {}

    default void ended(RunEnd end) {}
}
