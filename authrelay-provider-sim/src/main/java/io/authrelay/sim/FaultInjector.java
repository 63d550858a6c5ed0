package io.authrelay.sim;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The faults in force, and their injection into device authorization and token requests. */
final class FaultInjector {
    static final long MAX_LATENCY_MS = 600_000;
    private static final int[] SERVER_ERROR_STATUSES = {500, 502, 503};
    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final PollLog polls;
    /** Its forceSlowDown is not read: {@link #slowDownsLeft} counts the forced slow_downs still to come. */
    private volatile Faults faults = Faults.none();

    private final AtomicInteger slowDownsLeft = new AtomicInteger();

    FaultInjector(PollLog polls) {
        this.polls = polls;
    }

    /** Puts these faults in force; the next {@code forceSlowDown} device-code polls answer slow_down. */
    void set(Faults f) {
        faults = f;
        slowDownsLeft.set(f.forceSlowDown());
    }

    /** Puts these faults in force but leaves the count of forced slow_downs still to come as it is. */
    void setKeepingSlowDowns(Faults f) {
        faults = f;
    }

    /** The faults in force; {@code forceSlowDown} is the number of forced slow_downs still to come. */
    Faults current() {
        Faults f = faults;
        return new Faults(f.latencyMs(), f.errorRate(), slowDownsLeft.get(), f.garbageRate(), f.resetRate());
    }

    /** Takes one forced slow_down if any is left. */
    boolean takeForcedSlowDown() {
        return slowDownsLeft.get() > 0 && slowDownsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /**
     * Applies the configured latency, then at most one random fault, logging it in the poll log first when
     * {@code poll} is given (null for the device authorization endpoint). True when a fault answered (or dropped)
     * the request.
     */
    boolean inject(Context ctx, PollLog.Request poll) {
        Faults f = faults;
        if (f.latencyMs() > 0) {
            try {
                Thread.sleep(Math.min(f.latencyMs(), MAX_LATENCY_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (f.resetRate() > 0 && random.nextDouble() < f.resetRate()) {
            if (poll != null) polls.record(poll, 0, "reset");
            resetConnection(ctx);
            return true;
        }
        Reply r = null;
        if (f.errorRate() > 0 && random.nextDouble() < f.errorRate()) {
            r = serverError(SERVER_ERROR_STATUSES[random.nextInt(SERVER_ERROR_STATUSES.length)]);
        } else if (f.garbageRate() > 0 && random.nextDouble() < f.garbageRate()) {
            r = Reply.html(200, "<html><body>upstream hiccup: this is not JSON", "garbage", Map.of());
        }
        if (r == null) return false;
        PollLog.Entry entry = poll == null ? null : polls.record(poll, r.status(), r.error());
        if (!r.send(ctx) && entry != null) entry.markTimedOut();
        return true;
    }

    /** A 500 in OAuth JSON, or a proxy's HTML 502 or 503 (the 503 with Retry-After). */
    private static Reply serverError(int status) {
        return switch (status) {
            case 500 ->
                Reply.of(
                        500,
                        WireFormat.JSON,
                        Map.of("error", "server_error", "error_description", "simulated internal error"),
                        "server_error",
                        Map.of());
            case 502 -> Reply.html(502, proxyPage("502 Bad Gateway"), "server_error", Map.of());
            default ->
                Reply.html(503, proxyPage("503 Service Unavailable"), "server_error", Map.of("Retry-After", "1"));
        };
    }

    private static String proxyPage(String title) {
        return "<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>";
    }

    /** Closes the TCP connection at once (RST where the platform allows) without writing any HTTP response. */
    private static void resetConnection(Context ctx) {
        try {
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            if (endPoint instanceof SocketChannelEndPoint socket) {
                try {
                    socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException | RuntimeException ignored) {
                    // a plain close (FIN) is still a connection closed without a response
                }
            }
            endPoint.close();
        } catch (RuntimeException e) {
            log.debug("connection reset fault could not reach the socket", e);
        }
    }
}
