package io.authrelay.server.testing;

/** A daemon the harness started: in this JVM, or as a real `authrelay server` process. */
interface DaemonUnderTest {
    int port();

    /** Everything the daemon logged so far (a process's stdout and stderr; in this JVM, what reached the root logger). */
    String log();

    /** Stops it the way a crash would: SIGKILL for a process. */
    void kill();

    /** Stops it the way an operator would (SIGTERM) and returns the exit code. */
    int terminate();

    /** Waits until it stops by itself and returns the exit code. */
    int awaitExit(java.time.Duration timeout);
}
