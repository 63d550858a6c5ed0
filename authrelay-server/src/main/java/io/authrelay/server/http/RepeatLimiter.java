package io.authrelay.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows, then refuses, a key that keeps repeating something: an address failing authentication, a workspace reporting
 * rejected credentials. Repeats count within a sliding window; past {@code slowAfter} each further attempt waits a
 * growing delay, past {@code refuseAfter} the key gets 429 until its old repeats age out.
 */
public final class RepeatLimiter {
    public record Verdict(boolean refused, Duration delay, Duration retryAfter) {}

    private static final int MAX_TRACKED_ADDRESSES = 10_000;
    /**
     * Where failures count once {@link #MAX_TRACKED_ADDRESSES} addresses are failing at once (many IPv6 sources, say):
     * they share one bucket, so spreading over more addresses slows each of them sooner, and the map stays bounded.
     */
    static final String OVERFLOW = "(more addresses than tracked)";

    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration window;
    private final int slowAfter;
    private final int refuseAfter;

    public RepeatLimiter(Clock clock, Duration window, int slowAfter, int refuseAfter) {
        this.clock = clock;
        this.window = window;
        this.slowAfter = slowAfter;
        this.refuseAfter = refuseAfter;
    }

    /** Called before authenticating a request from {@code address}. */
    public Verdict check(String address) {
        Deque<Long> times = failures.get(bucket(address));
        if (times == null) return new Verdict(false, Duration.ZERO, Duration.ZERO);
        synchronized (times) {
            long now = clock.millis();
            prune(times, now);
            int count = times.size();
            if (count >= refuseAfter) {
                long oldest = times.peekFirst();
                return new Verdict(
                        true, Duration.ZERO, Duration.ofMillis(Math.max(1000, oldest + window.toMillis() - now)));
            }
            if (count >= slowAfter) {
                return new Verdict(
                        false, Duration.ofMillis(Math.min(1000, 50L * (count - slowAfter + 1))), Duration.ZERO);
            }
            return new Verdict(false, Duration.ZERO, Duration.ZERO);
        }
    }

    public void record(String address) {
        if (failures.size() >= MAX_TRACKED_ADDRESSES) evictExpired();
        Deque<Long> times = failures.computeIfAbsent(bucket(address), a -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.millis());
            prune(times, clock.millis());
        }
    }

    private String bucket(String address) {
        return failures.size() < MAX_TRACKED_ADDRESSES || failures.containsKey(address) ? address : OVERFLOW;
    }

    /** How many buckets are tracked: at most {@link #MAX_TRACKED_ADDRESSES} and the overflow bucket. */
    int trackedBuckets() {
        return failures.size();
    }

    private void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() < now - window.toMillis()) times.pollFirst();
    }

    private void evictExpired() {
        long now = clock.millis();
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
    }
}
