package io.authrelay.core.fake;

import io.authrelay.core.credential.RefreshScheduler;
import io.authrelay.core.login.LoginScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers the last time each poll and refresh was scheduled for; runs nothing. Its heartbeat is always fresh. */
public final class RecordingScheduler implements LoginScheduler, RefreshScheduler {
    private final Map<String, Instant> polls = new ConcurrentHashMap<>();
    private final Map<String, Instant> refreshes = new ConcurrentHashMap<>();

    @Override
    public void schedulePoll(String sessionId, Instant at) {
        polls.put(sessionId, at);
    }

    @Override
    public void cancelPoll(String sessionId) {
        polls.remove(sessionId);
    }

    @Override
    public void scheduleRefresh(String provider, Instant at) {
        refreshes.put(provider, at);
    }

    @Override
    public void cancelRefresh(String provider) {
        refreshes.remove(provider);
    }

    @Override
    public Duration heartbeatAge() {
        return Duration.ZERO;
    }

    public Instant refreshAt(String provider) {
        return refreshes.get(provider);
    }
}
