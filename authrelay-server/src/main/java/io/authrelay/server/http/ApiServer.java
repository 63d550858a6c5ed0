package io.authrelay.server.http;

import io.authrelay.core.DomainException;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.vault.KeysetBehindException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the Javalin app: authentication first (who calls), authorization once the route is matched (may they),
 * then routes, with one error shape for every failure.
 */
public final class ApiServer {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private ApiServer() {}

    public static Javalin create(
            Authenticator authenticator,
            Authorizer authorizer,
            MeterRegistry metrics,
            Consumer<JavalinConfig> listener,
            Iterable<Consumer<io.javalin.config.RoutesConfig>> routeGroups) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Platform threads on purpose: sqlite-jdbc waits for locks inside native code, which pins a virtual
            // thread's carrier; with 2 cores two such waits starve the lock holder until busy_timeout.
            config.concurrency.useVirtualThreads = false;
            config.jetty.threadPool = requestThreads();
            config.http.maxRequestSize = RequestBodies.MAX_BYTES;
            config.http.defaultContentType = "application/json";
            config.jsonMapper(new JavalinJackson3(Json.MAPPER, true));
            config.jetty.modifyServer(server -> {
                // Graceful stop: in-flight requests finish before the connectors close.
                server.insertHandler(new GracefulHandler());
                server.setErrorHandler(new JsonErrorHandler());
                server.setStopTimeout(8_000);
            });
            listener.accept(config);
            config.routes.before(SecurityHeaders::apply); // first, so that refusals carry them too
            config.routes.before(authenticator::authenticate);
            config.routes.beforeMatched(authorizer::authorize);
            // After every route and every refusal: no answer may leave with its request body unread.
            config.routes.after(UnreadBodies::drain);
            Map<String, Timer> timers = new ConcurrentHashMap<>();
            config.requestLogger.http((ctx, ms) -> record(metrics, timers, ctx, ms));
            routeGroups.forEach(group -> group.accept(config.routes));
            config.routes.exception(
                    ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.code(), e.getMessage(), e.hint()));
            config.routes.exception(
                    DomainException.class, (e, ctx) -> respond(ctx, statusOf(e), e.code(), e.getMessage(), e.hint()));
            config.routes.exception(
                    KeysetBehindException.class,
                    (e, ctx) -> respond(
                            ctx,
                            503,
                            "keyset_behind",
                            e.getMessage(),
                            "docs/deploy.md, Key rotation across replicas: every replica needs the added key before it"
                                    + " is promoted"));
            config.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> respond(ctx, e.getStatus(), codeOf(e.getStatus()), e.getMessage(), null));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                respond(ctx, 500, "internal_error", "the daemon hit an unexpected error", "see the daemon log");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    respond(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
                }
            });
            config.routes.error(
                    405, ctx -> respond(ctx, 405, "method_not_allowed", "method not allowed on " + ctx.path(), null));
        });
    }

    /**
     * Javalin's default pool, but keeping 2 threads when idle instead of 8: the rest are started under load (up to
     * 250, a blocked vend holds one while its audit row commits) and end after 60 s idle.
     */
    private static QueuedThreadPool requestThreads() {
        QueuedThreadPool pool = new QueuedThreadPool(250, 2, 60_000);
        pool.setName("JettyServerThreadPool");
        return pool;
    }

    /** @param timers this server's request timers by "route method status" */
    private static void record(MeterRegistry metrics, Map<String, Timer> timers, Context ctx, float ms) {
        String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
        String method = ctx.method().name();
        int status = ctx.statusCode();
        // Routes, methods and statuses are few: each timer is built and registered once, not on every request.
        timers.computeIfAbsent(
                        route + ' ' + method + ' ' + status,
                        key -> Timer.builder("authrelay_http_requests")
                                .tag("route", route)
                                .tag("method", method)
                                .tag("status", Integer.toString(status))
                                .register(metrics))
                .record(java.time.Duration.ofNanos((long) (ms * 1_000_000)));
    }

    static void respond(Context ctx, int status, String code, String message, String hint) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", SecretRedactor.redact(message));
        if (hint != null) error.put("hint", SecretRedactor.redact(hint));
        ctx.status(status).json(Map.of("error", error));
    }

    /** The HTTP status of a domain refusal, for every front that answers one (the API, the relay). */
    public static int statusOf(DomainException e) {
        return switch (e.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
            case UNAVAILABLE -> 503;
        };
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 413 -> "body_too_large";
            case 400 -> "bad_request";
            case 404 -> "not_found";
            default -> "http_" + status;
        };
    }
}
