package io.authrelay.core.login;

import java.time.Instant;
import java.util.List;

/** The timeline that `diagnose` shows. */
public interface LoginEventLog {
    /** Appends, or folds into the previous event of the same session when kind, status and code repeat. */
    void record(
            String sessionId, String provider, Instant at, String kind, Integer httpStatus, String code, String detail);

    List<LoginEvent> forSession(String sessionId, int limit);

    List<LoginEvent> forProvider(String provider, int limit);
}
