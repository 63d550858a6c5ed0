package io.authrelay.server.pty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A started run, to relay the user's answers into and to stop. */
public interface RunHandle {
    /** Types a line and Enter (CR in a PTY, LF on a pipe). The line is masked in the output from then on. */
    void input(String line);

    /** Writes a secret to stdin and closes it (API-key modes, pipes only: a PTY would echo it). */
    void writeSecretAndClose(String secret);

    /** Stops the run (also while it waits for its lock); ended reports it as cancelled. */
    void cancel();

    /** The CLI's HOME, private to this run; gone once the run has ended. */
    Path home();

    boolean sandboxed();

    /** Why the run is not sandboxed; empty when it is. */
    Optional<String> notSandboxedReason();

    /** Waits for the end (after {@link RunListener#ended} and the wipe); empty when it did not end in time. */
    Optional<RunEnd> awaitEnd(Duration timeout) throws InterruptedException;

    /** When output and captures happened, for measurements. */
    RunTimings timings();
}
