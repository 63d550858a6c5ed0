package io.authrelay.core.clilogin;

import java.util.Optional;

/**
 * Which replica runs each AI-CLI login. A run is a process on the replica that started it; with several replicas on
 * one database, input must reach that replica, and a run whose replica stopped can never finish.
 */
public interface RunOwners {
    /** Records that this replica runs {@code sessionId}'s CLI; inside the transaction that creates the session. */
    void claim(String sessionId);

    /** The run ended (whichever way): nothing to route to any more. */
    void release(String sessionId);

    /** Who runs {@code sessionId}; empty when no replica claimed it (a session from before replicas were tracked). */
    Optional<Owner> ownerOf(String sessionId);

    /**
     * @param replica the owner's name
     * @param address where the owner's API answers (its advertised URL), or null when it advertises none
     * @param self whether the owner is this replica
     * @param alive whether the owner's heartbeat is recent (always true for this replica)
     */
    record Owner(String replica, String address, boolean self, boolean alive) {}
}
