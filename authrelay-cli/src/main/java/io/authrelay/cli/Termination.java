package io.authrelay.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Blocks until SIGTERM or SIGINT. Handling the signals ourselves (instead of a shutdown hook) lets a
 * requested stop run the graceful shutdown and end with exit code 0.
 */
final class Termination {
    private Termination() {}

    static void await() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        stop.await();
    }
}
