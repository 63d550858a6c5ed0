package io.authrelay.cli;

import io.authrelay.server.StopRequest;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful stop ending with exit code 0, like a stop asked for through the API.
 * Handling the signals ourselves (instead of a shutdown hook) is what lets the graceful shutdown run. The handlers are
 * installed before the daemon starts: a signal that arrives while it starts is kept, and stops it once it has.
 */
final class Termination {
    private final StopRequest signalled = new StopRequest();

    private Termination() {}

    static Termination onSignals() {
        Termination termination = new Termination();
        Signal.handle(new Signal("TERM"), signal -> termination.signalled.request());
        Signal.handle(new Signal("INT"), signal -> termination.signalled.request());
        return termination;
    }

    /** Blocks until {@code stop} is requested: by a signal (also one that came earlier) or by the API. */
    void await(StopRequest stop) throws InterruptedException {
        Thread.ofPlatform().daemon().name("signal-stop").start(() -> {
            try {
                signalled.await();
                stop.request();
            } catch (InterruptedException ignored) {
                // the JVM is ending
            }
        });
        stop.await();
    }
}
