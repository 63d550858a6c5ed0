package io.authrelay.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Vends and ended logins per minute over the last hour, for the console's health chart, from this daemon's own
 * counters ({@code authrelay_vends}, {@code authrelay_logins}): their totals are noted at each minute, and a minute's
 * count is the difference to the next. In memory: one replica's activity since it started.
 */
public final class ActivityHistory implements AutoCloseable {
    static final int MINUTES = 60;

    /** One minute of the chart. */
    public record Minute(Instant minute, long vends, long logins) {}

    private record Totals(long vends, long logins) {}

    private final MeterRegistry registry;
    private final Clock clock;
    private final TreeMap<Instant, Totals> atMinuteStart = new TreeMap<>();
    private ScheduledExecutorService ticker;

    public ActivityHistory(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Notes the totals a few times a minute, on one daemon thread, so that no minute goes unnoted. */
    public ActivityHistory start() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "activity-history");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::note, 0, 10, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
    }

    synchronized void note() {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        atMinuteStart.putIfAbsent(minute, totals());
        atMinuteStart.headMap(minute.minus(Duration.ofMinutes(MINUTES))).clear();
    }

    /** The last 60 minutes, oldest first, the current one so far included; minutes before the daemon started are 0. */
    public synchronized List<Minute> lastHour() {
        note();
        Instant current = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Totals now = totals();
        List<Minute> minutes = new ArrayList<>(MINUTES);
        for (int i = MINUTES - 1; i >= 0; i--) {
            Instant start = current.minus(Duration.ofMinutes(i));
            Totals from = atMinuteStart.get(start);
            Map.Entry<Instant, Totals> next = atMinuteStart.higherEntry(start);
            Totals to = next == null ? now : next.getValue();
            minutes.add(
                    from == null
                            ? new Minute(start, 0, 0)
                            : new Minute(start, to.vends() - from.vends(), to.logins() - from.logins()));
        }
        return minutes;
    }

    private Totals totals() {
        return new Totals(count("authrelay_vends"), count("authrelay_logins"));
    }

    private long count(String name) {
        return (long) registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
