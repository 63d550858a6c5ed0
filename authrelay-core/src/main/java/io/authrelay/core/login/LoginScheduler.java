package io.authrelay.core.login;

import java.time.Duration;
import java.time.Instant;

/** Durable, cluster-safe timers that poll pending logins; implemented on db-scheduler. */
public interface LoginScheduler {
    void schedulePoll(String sessionId, Instant at);

    void cancelPoll(String sessionId);

    /** Age of the last scheduler heartbeat, or null when there was none yet. */
    Duration heartbeatAge();
}
