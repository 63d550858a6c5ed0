package io.authrelay.server.sql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the read caches of every replica on one database truthful. On SQLite one daemon owns the database and its
 * own writes empty its caches. On PostgreSQL other replicas write too:
 *
 * <ul>
 *   <li>a revocation advances {@code cache_epoch} in its own transaction, and {@link #checkRevocations()} (one
 *       primary-key read, at the start of every vend) drops every cache when the epoch moved, so the very next vend on
 *       any replica sees it;
 *   <li>every other write sends {@code NOTIFY authrelay_cache, '<cache>'}, delivered at commit; {@link
 *       CacheNotifications} listens and drops that cache. Entries then live for {@link #NOTIFIED_TTL_MILLIS};
 *       without a listening connection they fall back to {@link #BASE_TTL_MILLIS}.
 * </ul>
 */
public final class CacheSync {
    private static final Logger log = LoggerFactory.getLogger(CacheSync.class);
    static final String CHANNEL = "authrelay_cache";
    /** What a cache entry may lag behind another process's write when no notification tells of it. */
    static final long BASE_TTL_MILLIS = Long.getLong("authrelay.readCacheMillis", 1_000L);
    /** With notifications, the TTL only covers a notification lost between a commit and a broken connection. */
    static final long NOTIFIED_TTL_MILLIS = BASE_TTL_MILLIS * 10;

    private final boolean shared;
    private final Map<String, Runnable> caches = new ConcurrentHashMap<>();
    private final AtomicLong seenEpoch = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean listening;
    private final AtomicLong notificationsLost = new AtomicLong();

    /** @param shared true when other processes write the same database (PostgreSQL) */
    CacheSync(boolean shared) {
        this.shared = shared;
    }

    void register(String name, Runnable clear) {
        caches.merge(name, clear, (a, b) -> () -> {
            a.run();
            b.run();
        });
    }

    long ttlNanos() {
        long millis = shared && listening ? NOTIFIED_TTL_MILLIS : BASE_TTL_MILLIS;
        return millis * 1_000_000L;
    }

    /** Inside the write's transaction: the epoch and the notification commit (or roll back) with it. */
    void changed(Handle h, String cache, boolean revocation) {
        if (revocation)
            h.createUpdate("UPDATE cache_epoch SET epoch = epoch + 1 WHERE id = 1")
                    .execute();
        if (shared) {
            h.createQuery("SELECT pg_notify(:channel, :cache)")
                    .bind("channel", CHANNEL)
                    .bind("cache", cache)
                    .mapTo(String.class)
                    .findOne();
        }
    }

    /**
     * Before a vend trusts its caches: when another replica revoked something since the last check, every cache is
     * dropped. Free on SQLite, where this daemon made every write itself.
     */
    void checkRevocations(Database db) {
        if (!shared || db.inTransactionOnThisThread()) return;
        long epoch = db.with(h -> h.createQuery("SELECT epoch FROM cache_epoch WHERE id = 1")
                .mapTo(Long.class)
                .one());
        long seen = seenEpoch.get();
        if (epoch != seen && seenEpoch.compareAndSet(seen, epoch)) dropAll();
    }

    /** Another replica changed the rows of {@code cache}. */
    void dropped(String cache) {
        Runnable clear = caches.get(cache);
        if (clear != null) clear.run();
    }

    void dropAll() {
        caches.values().forEach(Runnable::run);
    }

    /** The notification connection is up (again): whatever was sent while it was down is lost, so drop everything. */
    void listening() {
        dropAll();
        if (!listening) log.info("cache notifications: listening on {}", CHANNEL);
        listening = true;
    }

    void notListening(String why) {
        if (listening || notificationsLost.get() == 0) {
            log.warn(
                    "cache notifications lost ({}): other replicas' writes now reach this one's caches within {} ms",
                    why,
                    BASE_TTL_MILLIS);
            notificationsLost.incrementAndGet();
        }
        listening = false;
    }

    public boolean isShared() {
        return shared;
    }

    /** True while other replicas' writes reach this one by notification. */
    public boolean isListening() {
        return listening;
    }

    /** How many times the notification connection was lost (or could not be opened). */
    public long notificationsLost() {
        return notificationsLost.get();
    }
}
