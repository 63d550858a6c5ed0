package io.authrelay.server.sql;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A small read-through cache for the rows every vend reads (workspace by token hash, provider, credential,
 * ciphertext). Only rows that exist are kept, each for at most {@link #TTL_NANOS}; every write through the
 * owning repository empties it once the write is visible ({@link Database#afterWrite}), so this process
 * never serves a row it has changed. The TTL bounds what another process writing the same database can
 * leave stale. Reads inside a transaction bypass it (they may see uncommitted rows).
 * {@code -Dauthrelay.readCacheMillis=0} turns it off.
 */
final class ReadCache<K, V> {
    static final long TTL_NANOS = Long.getLong("authrelay.readCacheMillis", 1_000L) * 1_000_000L;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long loadedAt) {}

    private final Database db;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    ReadCache(Database db) {
        this.db = db;
    }

    Optional<V> get(K key, Supplier<Optional<V>> load) {
        if (TTL_NANOS <= 0 || db.inTransactionOnThisThread()) return load.get();
        long now = System.nanoTime();
        Entry<V> hit = entries.get(key);
        if (hit != null && now - hit.loadedAt() < TTL_NANOS) return Optional.of(hit.value());
        long seen = generation.get();
        Optional<V> loaded = load.get();
        if (loaded.isPresent() && seen == generation.get()) {
            if (entries.size() >= MAX_ENTRIES) entries.clear();
            Entry<V> entry = new Entry<>(loaded.get(), now);
            entries.put(key, entry);
            // A write may have landed between the check and the put: then drop what we just cached.
            if (seen != generation.get()) entries.remove(key, entry);
        }
        return loaded;
    }

    /** A write through the owning repository: runs it, then invalidates. */
    <T> T write(java.util.function.Function<org.jdbi.v3.core.Handle, T> work) {
        T result = db.with(work);
        invalidate();
        return result;
    }

    /** Call on every write; empties the cache now and again once the write is visible. */
    void invalidate() {
        clear();
        db.afterWrite(this::clear);
    }

    private void clear() {
        generation.incrementAndGet();
        entries.clear();
    }
}
