package io.authrelay.server.testing;

import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.Daemon;
import io.authrelay.server.DaemonOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The daemon in the test's own JVM, on an ephemeral loopback port: quick to start, and its state is inspectable. */
final class InProcessDaemon implements DaemonUnderTest {
    private final Daemon daemon;

    InProcessDaemon(Path home, Map<String, String> env, PollPolicy pollPolicy) {
        this.daemon = Daemon.start(DaemonOptions.loopback(home, 0).withPollPolicy(pollPolicy), env, Clock.systemUTC());
    }

    @Override
    public int port() {
        return daemon.port();
    }

    @Override
    public String log() {
        return "";
    }

    @Override
    public void kill() {
        daemon.close();
    }

    @Override
    public int awaitExit(java.time.Duration timeout) {
        throw new UnsupportedOperationException("an in-process daemon stops only when the test closes it");
    }

    @Override
    public int terminate() {
        daemon.close();
        return 0;
    }
}
