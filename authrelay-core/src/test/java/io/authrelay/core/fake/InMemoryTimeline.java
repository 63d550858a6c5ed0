package io.authrelay.core.fake;

import io.authrelay.core.timeline.Timeline;
import io.authrelay.core.timeline.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Every event as its own entry: the folding of repeats is the SQL adapter's business. */
public final class InMemoryTimeline implements Timeline {
    private final List<TimelineEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(
            String sessionId,
            String provider,
            Instant at,
            String kind,
            Integer httpStatus,
            String code,
            String detail) {
        events.add(
                new TimelineEvent(events.size() + 1, sessionId, provider, at, at, 1, kind, httpStatus, code, detail));
    }

    @Override
    public List<TimelineEvent> forSession(String sessionId, int limit) {
        return matching(e -> Objects.equals(e.sessionId(), sessionId), limit);
    }

    @Override
    public void forget(String provider) {
        events.removeIf(e -> e.provider().equals(provider));
    }

    @Override
    public List<TimelineEvent> forProvider(String provider, int limit) {
        return matching(e -> e.provider().equals(provider), limit);
    }

    private List<TimelineEvent> matching(Predicate<TimelineEvent> filter, int limit) {
        return events.stream().filter(filter).limit(limit).toList();
    }
}
