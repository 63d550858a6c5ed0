package io.authrelay.core.login;

import java.util.List;
import java.util.Optional;

/** Storage port for login sessions. */
public interface LoginSessionRepository {
    /**
     * Stores a new session unless its provider already has an active one (the database enforces one per provider, so
     * two replicas starting a login at once cannot both succeed).
     *
     * @return false when another active session for the provider exists
     */
    boolean insertIfNoneActive(LoginSession session);

    Optional<LoginSession> find(String id);

    Optional<LoginSession> findActive(String provider);

    /**
     * Saves {@code updated} only if the stored session is still active, so a poll that raced a cancel
     * (or another replica's poll that already finished the session) cannot overwrite the outcome.
     */
    boolean updateIfActive(LoginSession updated);

    List<LoginSession> recent(String provider, int limit);

    List<LoginSession> active();

    long countActive();

    /** Deletes every session of {@code provider}; their sealed device codes are the caller's to delete. @return how many */
    int deleteFor(String provider);
}
