package io.authrelay.server.metrics;

import io.authrelay.server.sql.CacheSync;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Whether other replicas' writes reach this one's read caches by notification, or only through the short TTL. */
public final class CacheMetrics {
    private CacheMetrics() {}

    public static void bind(MeterRegistry registry, CacheSync caches) {
        if (!caches.isShared()) return;
        Gauge.builder("authrelay_cache_notifications_listening", caches, c -> c.isListening() ? 1 : 0)
                .description("1 while LISTEN/NOTIFY cache invalidation is connected; 0: entries fall back to the TTL")
                .register(registry);
        FunctionCounter.builder("authrelay_cache_notifications_lost", caches, CacheSync::notificationsLost)
                .description("times the cache notification connection was lost or could not be opened")
                .register(registry);
    }
}
