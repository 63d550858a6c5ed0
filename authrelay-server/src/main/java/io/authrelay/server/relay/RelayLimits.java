package io.authrelay.server.relay;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per workspace, so one sandbox can neither hold every upstream connection and request thread nor spend the provider's
 * own rate limit for the others: at most {@code concurrent} relayed requests in flight, and a token bucket that holds
 * up to {@code burst} requests and refills at {@code perSecond}. A request over either limit is refused at once (429),
 * never queued, and costs the bucket nothing.
 *
 * <p>Not Failsafe's {@code RateLimiter}, though Failsafe is on the class path: one of those limits one thing (no key,
 * so a map of them would still need this class's eviction), offers either smooth spacing or a fixed window but not a
 * sustained rate with a separate burst, and reads its own clock, so a test could not drive it. A bucket is one number.
 *
 * <p>Memory: a workspace is tracked only once its token was accepted, so there are never more entries than live
 * workspaces; and an entry with nothing in flight and a full bucket is the same as none, so such entries are dropped
 * (at most once a second, once more than {@value #SWEEP_ABOVE} are tracked).
 */
final class RelayLimits {
    static final int SWEEP_ABOVE = 256;
    private static final long SECOND = 1_000_000_000L;

    private final RelayLimitOptions options;
    /** Nanoseconds per request at the sustained rate. */
    private final long interval;
    /** How far ahead of now a workspace's schedule may run: a full bucket's worth of requests. */
    private final long tolerance;

    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
    private volatile long sweptAt;

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}): a wall clock set back would lock workspaces out */
    RelayLimits(RelayLimitOptions options, LongSupplier nanoTime) {
        this.options = options;
        this.interval = Math.max(1, Math.round(SECOND / options.perSecond()));
        this.tolerance = interval * options.burst(); // at most 3.6e12 ns (1/h) times 1e6: no overflow
        this.nanoTime = nanoTime;
        this.sweptAt = nanoTime.getAsLong();
    }

    /**
     * One workspace's requests in flight and its bucket, kept as the time its spent requests will have been refilled
     * ({@code paidUntil}, the "theoretical arrival time" of GCRA): the bucket is full when that is past, and a request
     * fits while it stays within a bucket's worth of refill ahead of now. One number, whole nanoseconds, no drift.
     * Guarded by the map's lock on its key.
     */
    private static final class Budget {
        int inFlight;
        long paidUntil;

        Budget(long now) {
            this.paidUntil = now;
        }
    }

    /**
     * @return the action that ends the request's hold on its workspace's concurrency, to be run once
     * @throws RelayRefusal 429 when the workspace is at either limit; for the rate, with when a request would pass
     */
    Runnable acquire(String workspace) {
        long now = nanoTime.getAsLong();
        if (budgets.size() > SWEEP_ABOVE && now - sweptAt >= SECOND) sweep(now);
        RelayRefusal[] refused = new RelayRefusal[1];
        budgets.compute(workspace, (name, budget) -> {
            Budget b = budget == null ? new Budget(now) : budget;
            long paid = Math.max(b.paidUntil - now, 0) + interval; // ahead of now once this one is paid for
            if (b.inFlight >= options.concurrent()) {
                refused[0] = new RelayRefusal(
                        429, "too_many_relayed_requests", "this workspace has too many relayed requests in flight");
            } else if (paid > tolerance) {
                refused[0] = new RelayRefusal(
                        429,
                        "relay_rate_limited",
                        "this workspace sent relayed requests faster than its limit (" + options.perSecond()
                                + "/s, bursts of " + options.burst() + ")",
                        Duration.ofNanos(paid - tolerance));
            } else {
                b.paidUntil = now + paid;
                b.inFlight++;
            }
            return b;
        });
        if (refused[0] != null) throw refused[0];
        return () -> budgets.computeIfPresent(workspace, (name, b) -> {
            b.inFlight--;
            return b;
        });
    }

    private void sweep(long now) {
        sweptAt = now;
        for (String workspace : budgets.keySet()) {
            budgets.computeIfPresent(workspace, (name, b) -> b.inFlight == 0 && b.paidUntil - now <= 0 ? null : b);
        }
    }

    /** How many workspaces are tracked now. */
    int tracked() {
        return budgets.size();
    }
}
