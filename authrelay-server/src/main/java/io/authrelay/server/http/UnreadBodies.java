package io.authrelay.server.http;

import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads, and drops, whatever a route left of the request body, before the answer is written.
 *
 * <p>Many answers go out without the body being read: the token and cancel routes ignore theirs, and 401, 403, 404
 * and 413 refuse before reading. Jetty checks only at the end of the exchange whether the body was consumed, and only
 * with what has already arrived; when a client's body is still on its way (the JDK client writes it after the
 * headers, late under load), Jetty has already sent a keep-alive answer and then closes the connection: the client's
 * next request on it gets no answer at all ("header parser received no bytes"), and a client still sending its body
 * gets a reset that can wipe the answer before it reads it. Reading the body here, a blocking read bounded by the
 * idle timeout, lets every exchange end with the connection in a known state.
 *
 * <p>Bounded: a body declared larger than {@link #MAX_BYTES} is left alone, and an undeclared (chunked) one is read no
 * further than that; Jetty then closes the connection after the answer, as it must, and such a client may see a reset
 * instead of its answer. Reading megabytes only to refuse them would let any client keep a request thread busy.
 */
final class UnreadBodies {
    /** Well above {@link RequestBodies#MAX_BYTES}, so an oversized body that is a client's mistake still gets its 413. */
    static final int MAX_BYTES = 1024 * 1024;

    private UnreadBodies() {}

    static void drain(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BYTES) return;
        try {
            ctx.req().getInputStream().readNBytes(MAX_BYTES);
        } catch (IOException gone) {
            // The client went away mid-body: nobody is left to answer, and Jetty closes the connection.
        }
    }
}
