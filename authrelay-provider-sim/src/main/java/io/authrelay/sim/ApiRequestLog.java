package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** The requests the vendor stand-ins received, oldest first; {@link #MAX_REQUESTS} bounds it. */
final class ApiRequestLog {
    static final int MAX_REQUESTS = 10_000;
    static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_PARAMS =
            Set.of("refresh_token", "code", "code_verifier", "client_secret", "device_auth_id", "access_token");

    private final ConcurrentLinkedDeque<ApiRequest> requests = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger abandonedStreams = new AtomicInteger();

    /** A streamed answer whose client went away before its last event. */
    void streamAbandoned() {
        abandonedStreams.incrementAndGet();
    }

    int abandonedStreams() {
        return abandonedStreams.get();
    }

    private static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        var names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            headers.merge(
                    name.toLowerCase(java.util.Locale.ROOT),
                    String.join(", ", java.util.Collections.list(ctx.req().getHeaders(name))),
                    (a, b) -> a + ", " + b);
        }
        return headers;
    }

    void record(Context ctx) {
        record(ctx, Map.of());
    }

    /** Records the request with these parameters, their secret values blanked. */
    void record(Context ctx, Map<String, String> params) {
        Map<String, String> kept = new HashMap<>();
        params.forEach((k, v) -> kept.put(k, SECRET_PARAMS.contains(k) && !v.isEmpty() ? REDACTED : v));
        String query = ctx.queryString();
        requests.add(new ApiRequest(
                System.currentTimeMillis(),
                ctx.method().name(),
                query == null ? ctx.path() : ctx.path() + "?" + query,
                ctx.header("Authorization"),
                ctx.header("x-api-key"),
                ctx.header("ChatGPT-Account-ID"),
                headers(ctx),
                kept));
        // Bounded: each extra element removes at most one, so this loop ends.
        for (int i = 0; i < 4 && size.incrementAndGet() > MAX_REQUESTS; i++) {
            if (requests.pollFirst() == null) break;
            size.decrementAndGet();
        }
    }

    List<ApiRequest> snapshot() {
        return List.copyOf(requests);
    }

    void clear() {
        abandonedStreams.set(0);
        requests.clear();
        size.set(0);
    }
}
