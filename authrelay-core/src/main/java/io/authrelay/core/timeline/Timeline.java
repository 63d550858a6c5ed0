package io.authrelay.core.timeline;

import java.time.Instant;
import java.util.List;

/** What happened to a login or a connection, step by step: the timeline that `diagnose` shows. */
public interface Timeline {
    /** Appends, or folds into the previous event of the same session when kind, status and code repeat. */
    void record(
            String sessionId, String provider, Instant at, String kind, Integer httpStatus, String code, String detail);

    List<TimelineEvent> forSession(String sessionId, int limit);

    List<TimelineEvent> forProvider(String provider, int limit);

    /** Deletes every event of {@code provider}, its logins' and its connection's. */
    void forget(String provider);
}
