package io.authrelay.server.http;

import io.authrelay.core.audit.AuditLog;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.util.Map;

/** `authrelay stop`: an admin asks the daemon to stop as SIGTERM would, after in-flight requests finish. */
final class ShutdownRoutes {
    private final Runnable stop;
    private final AuditLog audit;
    private final Clock clock;

    ShutdownRoutes(Runnable stop, AuditLog audit, Clock clock) {
        this.stop = stop;
        this.audit = audit;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/shutdown", ctx -> {
            audit.append(clock.instant(), Authenticator.actor(ctx), "daemon.stop", "daemon", AuditLog.OK, null);
            ctx.status(202).json(Map.of("stopping", true));
            stop.run();
        });
    }
}
