package io.authrelay.core.login;

import java.time.Instant;

/** Durable, cluster-safe timers for logins and refreshes; implemented on db-scheduler. */
public interface LoginScheduler {
    void schedulePoll(String sessionId, Instant at);

    void cancelPoll(String sessionId);

    void scheduleRefresh(String provider, Instant at);

    void cancelRefresh(String provider);

    /** Age of the last scheduler heartbeat, or null when there was none yet. */
    java.time.Duration heartbeatAge();
}
