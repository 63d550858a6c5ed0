package io.authrelay.server.metrics;

import io.authrelay.core.credential.RefreshObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Refresh outcomes on /metrics, beside the login outcomes. */
public final class RefreshMetrics implements RefreshObserver {
    private final MeterRegistry registry;

    public RefreshMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void refreshed(String outcome) {
        Counter.builder("authrelay_refreshes")
                .tag("outcome", outcome)
                .description("Credential refreshes by outcome")
                .register(registry)
                .increment();
    }
}
