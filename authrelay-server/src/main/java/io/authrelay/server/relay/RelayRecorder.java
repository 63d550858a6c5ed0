package io.authrelay.server.relay;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.net.Printable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * One audit row per relayed request (workspace, provider, method, path, status, bytes each way, duration; never a
 * header or a body) and the relay's metrics: requests by status and bytes by direction.
 */
final class RelayRecorder {
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Counter bytesUp;
    private final Counter bytesDown;

    RelayRecorder(AuditLog audit, Clock clock, MeterRegistry metrics) {
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
        this.bytesUp = Counter.builder("authrelay_relay_bytes")
                .tag("direction", "upstream")
                .description("Body bytes relayed from workspaces to upstreams")
                .register(metrics);
        this.bytesDown = Counter.builder("authrelay_relay_bytes")
                .tag("direction", "downstream")
                .description("Body bytes relayed from upstreams to workspaces")
                .register(metrics);
    }

    /** @param workspace null when the caller was not authenticated; @param provider null when none was resolved */
    void record(
            String workspace,
            String address,
            String provider,
            String method,
            String path,
            int status,
            long up,
            long down,
            Duration took) {
        Counter.builder("authrelay_relay_requests")
                .tag("status", Integer.toString(status))
                .description("Requests through the credential relay")
                .register(metrics)
                .increment();
        bytesUp.increment(up);
        bytesDown.increment(down);
        String result = status < 400 ? AuditLog.OK : status == 401 || status == 403 ? AuditLog.DENIED : AuditLog.FAILED;
        audit.append(
                clock.instant(),
                new Actor(workspace == null ? "anonymous" : "workspace:" + workspace, address),
                "relay",
                provider == null ? "-" : provider,
                result,
                method + " " + Printable.of(path) + " status=" + status + " up=" + up + " down=" + down + " ms="
                        + took.toMillis());
    }
}
