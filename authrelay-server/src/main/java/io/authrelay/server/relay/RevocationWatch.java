package io.authrelay.server.relay;

import io.authrelay.core.workspace.WorkspaceService;
import io.authrelay.server.scheduler.OnDemandTimer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts relayed requests off once their workspace token stops being valid (revoked, rotated, expired): every
 * {@link #PERIOD_MS} ms, while any request is in flight (and only then), each distinct token is authenticated again and the requests of
 * a token that no longer passes are aborted, so a clone or a push already under way ends within about that period.
 */
final class RevocationWatch implements AutoCloseable {
    static final long PERIOD_MS = 500;
    private static final Logger log = LoggerFactory.getLogger(RevocationWatch.class);

    /** Why a relayed request ended early; its message is what the daemon log says. */
    static final class Revoked extends RuntimeException {
        Revoked() {
            super("the workspace token stopped being valid while the request was relayed", null, false, false);
        }
    }

    private record Watched(String token, Consumer<Throwable> abort) {}

    private final WorkspaceService workspaces;
    private final Map<Object, Watched> inFlight = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer = OnDemandTimer.create("relay-revocation-watch");
    /** The periodic check, while any request is watched: an idle relay keeps no timer ticking. Guarded by this. */
    private ScheduledFuture<?> ticking;

    RevocationWatch(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    /** @return what ends the watch, once the request is over */
    Runnable watch(String token, Consumer<Throwable> abort) {
        Object key = new Object();
        inFlight.put(key, new Watched(token, abort));
        synchronized (this) {
            if (ticking == null)
                ticking = timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        return () -> {
            inFlight.remove(key);
            stopWhenIdle();
        };
    }

    private synchronized void stopWhenIdle() {
        if (inFlight.isEmpty() && ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    private void check() {
        if (inFlight.isEmpty()) return;
        try {
            Map<String, List<Watched>> byToken =
                    inFlight.values().stream().collect(Collectors.groupingBy(Watched::token));
            byToken.forEach((token, requests) -> {
                if (workspaces.authenticate(token) instanceof WorkspaceService.Authentication.Valid) return;
                requests.forEach(r -> r.abort().accept(new Revoked()));
            });
        } catch (RuntimeException e) {
            log.warn("the relay could not check its workspaces' tokens: {}", e.toString()); // next period retries
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
