package io.authrelay.server.replica;

import io.authrelay.server.sql.CacheSync;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code /v1/status} (and so {@code doctor}) says about the replicas and how their caches stay in step. */
public final class ReplicaStatus {
    private final ReplicaRegistry replicas;
    private final CacheSync caches;
    private final Clock clock;

    public ReplicaStatus(ReplicaRegistry replicas, CacheSync caches, Clock clock) {
        this.replicas = replicas;
        this.caches = caches;
        this.clock = clock;
    }

    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("replica", replicas.id());
        facts.put("replicas", live());
        facts.put("cache_notifications", notifications());
        return facts;
    }

    private List<Map<String, Object>> live() {
        return replicas.live().stream()
                .map(r -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", r.id());
                    view.put("self", r.self());
                    view.put("address", r.address());
                    view.put("host", r.host());
                    view.put("version", r.version());
                    view.put("started_at", r.startedAt());
                    view.put(
                            "heartbeat_age_seconds",
                            Math.max(
                                            0,
                                            Duration.between(r.lastSeen(), clock.instant())
                                                    .toMillis())
                                    / 1000.0);
                    return view;
                })
                .toList();
    }

    /** {@code not_needed} on SQLite (one daemon), else {@code listening} or {@code lost} (entries then live 1 s). */
    private String notifications() {
        if (!caches.isShared()) return "not_needed";
        return caches.isListening() ? "listening" : "lost";
    }
}
