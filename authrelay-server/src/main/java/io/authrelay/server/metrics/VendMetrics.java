package io.authrelay.server.metrics;

import io.authrelay.core.workspace.VendObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vends by workspace and result, and vend latency. Workspace names become labels only for the first
 * {@link #MAX_NAMED_WORKSPACES}; the rest share "other", so a fleet of ephemeral workspaces cannot blow up
 * the number of time series.
 */
public final class VendMetrics implements VendObserver {
    public static final int MAX_NAMED_WORKSPACES = 50;

    private final MeterRegistry registry;
    private final Set<String> named = ConcurrentHashMap.newKeySet();
    private final Timer latency;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public VendMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("authrelay_vend_latency")
                .publishPercentileHistogram()
                .description("Time to vend a credential, refresh included")
                .register(registry);
    }

    @Override
    public void vended(String workspace, String result, Duration took) {
        String label = label(workspace);
        // Labels (at most MAX_NAMED_WORKSPACES + 1) and results are few: each counter is registered once.
        counters.computeIfAbsent(
                        label + '\n' + result,
                        key -> Counter.builder("authrelay_vends")
                                .tag("workspace", label)
                                .tag("result", result)
                                .description("Credential vends by workspace and result")
                                .register(registry))
                .increment();
        latency.record(took);
    }

    private String label(String workspace) {
        if (named.contains(workspace)) return workspace;
        if (named.size() < MAX_NAMED_WORKSPACES && named.add(workspace)) return workspace;
        return named.contains(workspace) ? workspace : "other";
    }
}
