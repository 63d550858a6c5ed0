package io.authrelay.server.sql;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * A small read-through cache for the rows every vend reads (workspace by token hash, provider, credential,
 * ciphertext). Only rows that exist are kept, each for at most {@link CacheSync#ttlNanos()}; every write through the
 * owning repository empties it once the write is visible ({@link Database#afterWrite}), so this process never serves a
 * row it has changed, and tells the other replicas ({@link CacheSync}). Reads inside a transaction bypass it (they may
 * see uncommitted rows). {@code -Dauthrelay.readCacheMillis=0} turns it off.
 */
final class ReadCache<K, V> {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long loadedAt) {}

    private final Database db;
    private final String name;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** @param name what other replicas are told to drop when this cache's rows change */
    ReadCache(Database db, String name) {
        this.db = db;
        this.name = name;
        db.caches().register(name, this::clear);
    }

    Optional<V> get(K key, Supplier<Optional<V>> load) {
        long ttl = db.caches().ttlNanos();
        if (ttl <= 0 || db.inTransactionOnThisThread()) return load.get();
        long now = System.nanoTime();
        Entry<V> hit = entries.get(key);
        if (hit != null && now - hit.loadedAt() < ttl) return Optional.of(hit.value());
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

    /** A write through the owning repository: runs it, tells the other replicas, then invalidates. */
    <T> T write(Function<Handle, T> work) {
        return written(work, false);
    }

    /**
     * A write that takes something away (a revoked workspace, a removed credential): besides {@link #write}, it
     * advances the revocation epoch in the same transaction, which every replica checks before a vend trusts its cache.
     */
    <T> T revoke(Function<Handle, T> work) {
        return written(work, true);
    }

    private <T> T written(Function<Handle, T> work, boolean revocation) {
        T result = db.with(h -> {
            T done = work.apply(h);
            db.caches().changed(h, name, revocation);
            return done;
        });
        invalidate();
        return result;
    }

    /** Empties the cache now and again once the write is visible. */
    private void invalidate() {
        clear();
        db.afterWrite(this::clear);
    }

    private void clear() {
        generation.incrementAndGet();
        entries.clear();
    }
}
