package io.authrelay.client;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time for {@link BrokerClient}: a sleep returns at once, moves the clock on and is recorded. */
final class RecordingTimekeeper implements Timekeeper {
    /** What {@link #now()} says before any time has passed. */
    static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

    private final AtomicLong nanos = new AtomicLong();
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void sleep(long millis) {
        sleeps.add(millis);
        advance(millis);
    }

    @Override
    public Instant now() {
        return START.plusNanos(nanos.get());
    }

    /** What a slow server costs the client in virtual time. */
    void advance(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    /** Every backoff the client asked for, in order. */
    List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    long elapsedMillis() {
        return nanos.get() / 1_000_000L;
    }
}
