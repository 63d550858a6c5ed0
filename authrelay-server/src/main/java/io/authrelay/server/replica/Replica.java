package io.authrelay.server.replica;

import java.time.Instant;

/**
 * One daemon on the database, as its heartbeat row says.
 *
 * @param id its name, also the db-scheduler name that picks its tasks
 * @param address its advertised API URL, or null when it gives none
 * @param self whether it is this process
 */
public record Replica(
        String id, String address, String host, String version, Instant startedAt, Instant lastSeen, boolean self) {}
