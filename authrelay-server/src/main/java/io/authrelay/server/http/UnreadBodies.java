package io.authrelay.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;

/**
 * Reads, and drops, whatever a route left of the request body, before the answer is written.
 *
 * <p>Many answers go out without the body being read: the token and cancel routes ignore theirs, and 401, 403, 404
 * and 413 refuse before reading. Jetty checks only at the end of the exchange whether the body was consumed, and only
 * with what has already arrived; when a client's body is still on its way (the JDK client writes it after the
 * headers, late under load), Jetty has already sent a keep-alive answer and then closes the connection: the client's
 * next request on it gets no answer at all ("header parser received no bytes"), and a client still sending its body
 * gets a reset or a broken pipe, and the JDK client then reports that instead of the answer it was sent. Reading the
 * body here, a blocking read bounded by the idle timeout, lets every exchange end with the connection in a known
 * state: the answer is the client's, and the connection takes its next request.
 *
 * <p>Bounded: a body declared larger than {@link #MAX_BYTES} is not read, and an undeclared (chunked) one no further
 * than that; the answer then says {@code Connection: close} and Jetty closes the connection after it, so such a
 * client may see a broken pipe while it is still sending. {@link #MAX_BYTES} is far above anything a client of this
 * API sends by mistake (the cap is {@link RequestBodies#MAX_BYTES}), and reading it costs a few milliseconds on
 * loopback; reading without a bound would let any client keep a request thread busy for as long as it sends.
 */
final class UnreadBodies {
    /** A mistaken client's body, however large it plausibly is (a file pasted into a field), still gets its 413. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private UnreadBodies() {}

    static void drain(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            closeAfterAnswer(ctx);
            return;
        }
        try {
            var body = ctx.req().getInputStream();
            if (body.read() < 0) return; // the usual case: the route read it all, or there was none
            long skipped = 1;
            byte[] sink = new byte[16 * 1024];
            for (int n; skipped <= MAX_BYTES && (n = body.read(sink)) >= 0; ) skipped += n;
            if (skipped > MAX_BYTES) closeAfterAnswer(ctx);
        } catch (IOException gone) {
            // The client went away mid-body: nobody is left to answer, and Jetty closes the connection.
        }
    }

    /** The body stays unread, so the connection cannot carry another request: the answer says so. */
    private static void closeAfterAnswer(Context ctx) {
        ctx.res().setHeader(HttpHeader.CONNECTION.asString(), HttpHeaderValue.CLOSE.asString());
    }
}
