package io.authrelay.core.credential;

import java.time.Instant;

/** Durable, cluster-safe timers that refresh credentials ahead of expiry; implemented on db-scheduler. */
public interface RefreshScheduler {
    /** Schedules the refresh, or moves one that is scheduled and not running. */
    void scheduleRefresh(String provider, Instant at);

    void cancelRefresh(String provider);
}
