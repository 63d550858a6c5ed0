package io.authrelay.server.http;

import io.authrelay.core.DomainException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Assembles the Javalin app: authentication first (who calls), authorization once the route is matched (may they),
 * then routes, with one error shape for every failure.
 */
public final class ApiServer {
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
            RequestTimers timers = new RequestTimers(metrics);
            config.requestLogger.http((ctx, ms) ->
                    timers.record(route(ctx), ctx.method().name(), ctx.statusCode(), (long) (ms * 1_000_000)));
            routeGroups.forEach(group -> group.accept(config.routes));
            // one answer per failure, shared with VendHandler (ApiError picks the status and code)
            ExceptionHandler<Exception> failed =
                    (e, ctx) -> respond(ctx, ApiError.of(e, ctx.method().name(), ctx.path()));
            config.routes.exception(Exception.class, failed);
            // named too: Javalin answers its own (404 for no route, ...) unless a handler names this very class
            config.routes.exception(HttpResponseException.class, failed::handle);
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    respond(
                            ctx,
                            new ApiError(
                                    404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), null));
                }
            });
            config.routes.error(
                    405,
                    ctx -> respond(
                            ctx, new ApiError(405, "method_not_allowed", "method not allowed on " + ctx.path(), null)));
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

    /** The matched route's path: {@code ctx.endpoint()} is by now the after-handler's {@code *}. */
    private static String route(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null ? "unmatched" : matched.path;
    }

    static void respond(Context ctx, ApiError error) {
        ctx.status(error.status()).json(error.body());
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
}
