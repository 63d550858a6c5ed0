package io.authrelay.cli;

import io.authrelay.server.StopRequest;
import sun.misc.Signal;

/**
 * Blocks until SIGTERM, SIGINT or a stop asked for through the API. Handling the signals ourselves (instead of a
 * shutdown hook) lets a requested stop run the graceful shutdown and end with exit code 0.
 */
final class Termination {
    private Termination() {}

    static void await(StopRequest stop) throws InterruptedException {
        Signal.handle(new Signal("TERM"), signal -> stop.request());
        Signal.handle(new Signal("INT"), signal -> stop.request());
        stop.await();
    }
}
