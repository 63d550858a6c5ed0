package io.authrelay.server;

import java.util.concurrent.CountDownLatch;

/** A request to stop the daemon gracefully: from a signal, or from an admin through the API (`authrelay stop`). */
public final class StopRequest {
    private final CountDownLatch requested = new CountDownLatch(1);

    public void request() {
        requested.countDown();
    }

    public void await() throws InterruptedException {
        requested.await();
    }
}
