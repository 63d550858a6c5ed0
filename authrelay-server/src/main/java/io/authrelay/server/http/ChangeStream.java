package io.authrelay.server.http;

import io.authrelay.server.scheduler.OnDemandTimer;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a resource to a server-sent-events client whenever its JSON view changes, and closes the stream once it reaches
 * a final state. It reads the same view the GET route answers, so the stream can never say what the API would not. One
 * shared thread looks at every open stream twice a second; a stream is given up after {@link #MAX_AGE}.
 */
final class ChangeStream {
    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);
    static final Duration PERIOD = Duration.ofMillis(500);
    static final Duration MAX_AGE = Duration.ofMinutes(30);

    // One thread, started by the first stream and ended after a minute without any, so no daemon leaves it behind.
    private final ScheduledExecutorService ticker = OnDemandTimer.create("sse-changes");

    /** @param isFinal whether a view is the last one the client needs */
    void follow(SseClient client, Supplier<Map<String, Object>> view, Predicate<Map<String, Object>> isFinal) {
        Map<String, Object> first = view.get(); // an unknown resource fails here, as the GET route would
        String firstJson = Json.MAPPER.writeValueAsString(first);
        client.sendEvent("state", firstJson);
        if (isFinal.test(first)) {
            client.close();
            return;
        }
        client.keepAlive();
        AtomicReference<String> last = new AtomicReference<>(firstJson);
        AtomicLong ticksLeft = new AtomicLong(MAX_AGE.toMillis() / PERIOD.toMillis());
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable tick = () -> {
            try {
                // A caller signed out or revoked since the stream opened is sent nothing more.
                if (!Authenticator.stillAuthenticated(client.ctx())) {
                    close(client, task.get());
                    return;
                }
                Map<String, Object> current = view.get();
                String json = Json.MAPPER.writeValueAsString(current);
                if (!json.equals(last.getAndSet(json))) client.sendEvent("state", json);
                if (isFinal.test(current) || ticksLeft.decrementAndGet() <= 0 || client.terminated())
                    close(client, task.get());
            } catch (RuntimeException e) {
                log.debug("event stream ended: {}", e.getMessage());
                close(client, task.get());
            }
        };
        // The first tick is a period away, so the task is set before any tick can need it.
        task.set(ticker.scheduleAtFixedRate(tick, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS));
        client.onClose(() -> task.get().cancel(false));
    }

    private static void close(SseClient client, ScheduledFuture<?> task) {
        task.cancel(false);
        client.close();
    }
}
