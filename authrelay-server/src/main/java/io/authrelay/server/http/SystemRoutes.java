package io.authrelay.server.http;

import io.authrelay.core.Version;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialService;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.provider.ProviderService;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Probes, metrics, version handshake and the status overview. */
public final class SystemRoutes {
    public record Check(String name, boolean ok) {}

    record ProviderStatus(
            String name,
            String type,
            String host,
            boolean degraded,
            String degradedReason,
            String credentialState,
            String account,
            String scopes,
            Instant expiresAt,
            Long secondsLeft,
            String lastError,
            Instant credentialUpdatedAt) {}

    private final Supplier<List<Check>> readiness;
    private final PrometheusMeterRegistry metrics;
    private final ProviderService providers;
    private final CredentialService credentials;
    private final LoginService logins;
    private final LoginRoutes loginViews;
    private final LoginScheduler scheduler;
    private final Supplier<Map<String, Object>> daemonFacts;
    private final Clock clock;
    private final Instant startedAt;

    SystemRoutes(
            Supplier<List<Check>> readiness,
            PrometheusMeterRegistry metrics,
            ProviderService providers,
            CredentialService credentials,
            LoginService logins,
            LoginRoutes loginViews,
            LoginScheduler scheduler,
            Supplier<Map<String, Object>> daemonFacts,
            Clock clock) {
        this.logins = logins;
        this.loginViews = loginViews;
        this.scheduler = scheduler;
        this.readiness = readiness;
        this.metrics = metrics;
        this.providers = providers;
        this.credentials = credentials;
        this.daemonFacts = daemonFacts;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /**
     * Names this process, so `doctor` can tell whether the daemon on the TCP port is the one behind the home's socket
     * or something else. Random, so it reveals nothing.
     */
    private final String instance =
            "di_" + java.util.UUID.randomUUID().toString().replace("-", "");

    private Map<String, Object> version() {
        return Map.of("version", Version.PRODUCT, "api_version", Version.API_VERSION, "instance", instance);
    }

    void register(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/readyz", ctx -> {
            List<Check> checks = readiness.get();
            boolean ready = checks.stream().allMatch(Check::ok);
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not_ready", "checks", checks));
        });
        routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()),
                Access.METRICS);
        routes.get("/v1/version", ctx -> ctx.json(version()));
        routes.get("/v1/helper.sh", ctx -> {
            try (var script = SystemRoutes.class.getResourceAsStream("helper.sh")) {
                ctx.contentType("text/x-shellscript; charset=utf-8").result(script.readAllBytes());
            }
        });
        routes.get("/v1/status", ctx -> ctx.json(status(LoginRoutes.seesCodes(ctx))), Access.READ);
    }

    private Map<String, Object> status(boolean showCodes) {
        Map<String, Credential> byProvider =
                credentials.list().stream().collect(Collectors.toMap(Credential::provider, Function.identity()));
        List<ProviderStatus> providerStatus = providers.list().stream()
                .map(p -> {
                    Credential c = byProvider.get(p.name());
                    String degradedReason = p.isDegraded() ? p.degradation().reason() : null;
                    if (c == null)
                        return new ProviderStatus(
                                p.name(),
                                p.kind().wireName(),
                                p.host(),
                                p.isDegraded(),
                                degradedReason,
                                "none",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null);
                    Long left = c.expiresAt() == null
                            ? null
                            : Duration.between(clock.instant(), c.expiresAt()).toSeconds();
                    return new ProviderStatus(
                            p.name(),
                            p.kind().wireName(),
                            p.host(),
                            p.isDegraded(),
                            degradedReason,
                            c.state().wireName(),
                            c.account(),
                            c.scopes(),
                            c.expiresAt(),
                            left,
                            c.lastError(),
                            c.updatedAt());
                })
                .toList();
        Duration heartbeat = scheduler.heartbeatAge();
        Map<String, Object> status = new LinkedHashMap<>(version());
        status.put("started_at", startedAt);
        status.put(
                "uptime_seconds", Duration.between(startedAt, clock.instant()).toSeconds());
        status.putAll(daemonFacts.get());
        status.put("ready", readiness.get().stream().allMatch(Check::ok));
        status.put("scheduler_heartbeat_age_seconds", heartbeat == null ? null : heartbeat.toMillis() / 1000.0);
        status.put("providers", providerStatus);
        status.put(
                "logins",
                logins.recent(null, 20).stream()
                        .map(s -> loginViews.view(s, false, showCodes))
                        .toList());
        return status;
    }
}
