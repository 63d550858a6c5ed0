package io.authrelay.server.relay;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code perWorkspace} relayed requests in flight per workspace, so one sandbox cannot hold every upstream
 * connection and request thread; the one over the limit is refused at once (429), not queued.
 */
final class RelayLimits {
    private final int perWorkspace;
    private final ConcurrentHashMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    RelayLimits(int perWorkspace) {
        this.perWorkspace = perWorkspace;
    }

    /** @return a release action, or null when the workspace is at its limit */
    Runnable acquire(String workspace) {
        Semaphore permits = inFlight.computeIfAbsent(workspace, w -> new Semaphore(perWorkspace));
        return permits.tryAcquire() ? permits::release : null;
    }
}
