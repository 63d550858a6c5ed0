package io.authrelay.server.replica;

import io.authrelay.core.Version;
import io.authrelay.core.vault.KeyManager;
import io.authrelay.server.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This daemon's heartbeat in the {@code replica} table, and who else is alive. Each replica writes its own row
 * every {@link #BEAT_EVERY} from a thread of its own (the scheduler's recurring tasks run on one replica only), and
 * deletes it when it stops cleanly. A replica is alive while its row is younger than {@link #ALIVE_WITHIN}. On SQLite
 * one daemon owns the database, so every other row is a previous run of this home's daemon, never alive.
 */
public final class ReplicaRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaRegistry.class);
    static final Duration BEAT_EVERY = Duration.ofSeconds(2);
    /** Five missed beats: a replica stalled by a long GC pause is not declared dead. */
    public static final Duration ALIVE_WITHIN = Duration.ofSeconds(10);
    /** Rows of replicas gone this long are deleted; until then status can say when they were last seen. */
    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final Database db;
    private final Clock clock;
    private final String id = "replica-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile String address;
    /** This replica's primary key, reported so that a reseal can wait for every replica to have the promoted one. */
    private volatile KeyManager keyset;

    private final String host;
    private final Instant startedAt;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("authrelay-replica-heartbeat").factory());

    public ReplicaRegistry(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.host = hostName();
        this.startedAt = clock.instant();
    }

    public String id() {
        return id;
    }

    /** Each beat from now on names this keyset's primary key (before {@link #start}). */
    public void reportPrimaryKeyOf(KeyManager keyset) {
        this.keyset = keyset;
    }

    /**
     * Writes the first beat now (so this replica is listed as soon as it serves), then every {@link #BEAT_EVERY}.
     *
     * @param address the URL other replicas and clients can reach this one's API at, or null
     */
    public void start(String address) {
        this.address = address;
        beat();
        timer.scheduleWithFixedDelay(
                this::beatQuietly, BEAT_EVERY.toMillis(), BEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            // The database is away: /readyz says so; the next beat tries again.
            log.warn("replica heartbeat failed: {}", e.getMessage());
        }
    }

    private void beat() {
        long now = clock.millis();
        db.with(h -> {
            h.createUpdate("""
                    INSERT INTO replica(id, address, host, version, started_at, last_seen, primary_key_id)
                    VALUES (:id, :address, :host, :version, :startedAt, :now, :primaryKey)
                    ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen,
                        primary_key_id = excluded.primary_key_id""")
                    .bind("id", id)
                    .bind("address", address)
                    .bind("host", host)
                    .bind("version", Version.PRODUCT)
                    .bind("startedAt", startedAt.toEpochMilli())
                    .bind("now", now)
                    .bind("primaryKey", primaryKey())
                    .execute();
            return h.createUpdate("DELETE FROM replica WHERE last_seen < :before")
                    .bind("before", now - FORGET_AFTER.toMillis())
                    .execute();
        });
    }

    /** The replicas alive now, this one first. */
    public List<Replica> live() {
        long after = clock.millis() - ALIVE_WITHIN.toMillis();
        return db
                .with(h -> h.createQuery("SELECT * FROM replica WHERE last_seen >= :after ORDER BY started_at")
                        .bind("after", after)
                        .map((rs, ctx) -> map(rs))
                        .list())
                .stream()
                .filter(r -> r.self() || db.isShared())
                .sorted((a, b) -> Boolean.compare(b.self(), a.self()))
                .toList();
    }

    /** The other live replicas' primary keys, by replica; a replica of a version that reports none is left out. */
    public Map<String, Long> otherPrimaries() {
        if (!db.isShared()) return Map.of();
        long after = clock.millis() - ALIVE_WITHIN.toMillis();
        Map<String, Long> primaries = new TreeMap<>();
        db.with(h -> h.createQuery("SELECT id, primary_key_id FROM replica"
                                + " WHERE last_seen >= :after AND id <> :self AND primary_key_id IS NOT NULL")
                        .bind("after", after)
                        .bind("self", id)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                        .list())
                .forEach(e -> primaries.put(e.getKey(), e.getValue()));
        return primaries;
    }

    private Long primaryKey() {
        KeyManager keys = keyset;
        if (keys == null) return null;
        return keys.keys().stream()
                .filter(KeyManager.KeyInfo::primary)
                .map(KeyManager.KeyInfo::id)
                .findFirst()
                .orElse(null);
    }

    public Optional<Replica> find(String replicaId) {
        return db.with(h -> h.createQuery("SELECT * FROM replica WHERE id = :id")
                .bind("id", replicaId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    public boolean isAlive(Replica replica) {
        if (replica.self()) return true;
        return db.isShared() && replica.lastSeen().isAfter(clock.instant().minus(ALIVE_WITHIN));
    }

    private Replica map(ResultSet rs) throws SQLException {
        String rowId = rs.getString("id");
        return new Replica(
                rowId,
                rs.getString("address"),
                rs.getString("host"),
                rs.getString("version"),
                Instant.ofEpochMilli(rs.getLong("started_at")),
                Instant.ofEpochMilli(rs.getLong("last_seen")),
                rowId.equals(id));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A clean stop: the row goes at once, so nobody waits {@link #ALIVE_WITHIN} to learn this replica is gone. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            db.with(h -> h.createUpdate("DELETE FROM replica WHERE id = :id")
                    .bind("id", id)
                    .execute());
        } catch (RuntimeException e) {
            log.debug("could not remove this replica's heartbeat row: {}", e.getMessage());
        }
    }
}
