package io.authrelay.server.metrics;

import io.authrelay.core.login.LoginObserver;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.LoginSessionRepository;
import io.authrelay.core.login.LoginStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Login and poll outcomes on /metrics, so an operator sees success rates at a glance. */
public final class LoginMetrics implements LoginObserver {
    private final MeterRegistry registry;

    public LoginMetrics(MeterRegistry registry, LoginSessionRepository sessions, LoginScheduler scheduler) {
        this.registry = registry;
        Gauge.builder("authrelay_logins_pending", sessions, LoginSessionRepository::countActive)
                .description("Login sessions waiting for the user or the provider")
                .register(registry);
        Gauge.builder("authrelay_scheduler_heartbeat_age_seconds", scheduler, s -> {
                    Duration age = s.heartbeatAge();
                    return age == null ? Double.NaN : age.toMillis() / 1000.0;
                })
                .description("Seconds since any replica's scheduler last ran its heartbeat task")
                .register(registry);
    }

    @Override
    public void loginEnded(LoginStatus outcome, Duration sinceStart) {
        Counter.builder("authrelay_logins")
                .tag("outcome", outcome.wireName())
                .description("Logins by outcome")
                .register(registry)
                .increment();
        if (outcome == LoginStatus.CONNECTED) {
            Timer.builder("authrelay_login_time_to_connect")
                    .publishPercentileHistogram()
                    .description("From starting a login to storing its token")
                    .register(registry)
                    .record(sinceStart);
        }
    }

    @Override
    public void polled(String result, Duration latency) {
        Counter.builder("authrelay_login_polls")
                .tag("response", result)
                .description("Token-endpoint polls by response")
                .register(registry)
                .increment();
        Timer.builder("authrelay_login_poll_latency")
                .publishPercentileHistogram()
                .description("Round trip of one token-endpoint poll")
                .register(registry)
                .record(latency);
    }
}
