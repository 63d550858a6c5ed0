package io.authrelay.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code authrelay_http_requests} timers, by route, method and status, for every front that answers the API
 * (Javalin's routes and {@link VendHandler}): the registry returns one timer per tag set, so both fronts count into
 * the same ones.
 */
final class RequestTimers {
    private final MeterRegistry metrics;
    /** by "route method status" */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void record(String route, String method, int status, long nanos) {
        // Routes, methods and statuses are few: each timer is built and registered once, not on every request.
        timers.computeIfAbsent(
                        route + ' ' + method + ' ' + status,
                        key -> Timer.builder("authrelay_http_requests")
                                .tag("route", route)
                                .tag("method", method)
                                .tag("status", Integer.toString(status))
                                .register(metrics))
                .record(Duration.ofNanos(nanos));
    }
}
