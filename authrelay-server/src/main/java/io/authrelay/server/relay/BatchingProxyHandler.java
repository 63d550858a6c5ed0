package io.authrelay.server.relay;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.BufferedContentSink;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Passes an upstream answer's body to the client in writes of up to {@value #BATCH} bytes, where Jetty's listener makes
 * one write per piece the upstream sent and reads the next piece only once that write is done. A forge (nginx with
 * {@code fastcgi_buffering off}) sends every 4 KiB as its own TLS record and HTTP chunk: one by one, that is 12,800
 * downstream writes per 50 MiB, and the clone's throughput through the relay fell to 0.52-0.74x of direct
 * (docs/benchmarks.md, Issue 15).
 *
 * <p>Pieces already received are gathered, and the batch is written as soon as nothing more is waiting upstream, not
 * when it is full only: a server-sent event or git's progress line is never held back waiting for more.
 */
abstract class BatchingProxyHandler extends ProxyHandler {
    /** Four TLS records' worth: enough that a write's fixed cost no longer goes with the forge's piece size. */
    static final int BATCH = 64 * 1024;

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request request, org.eclipse.jetty.client.Request upstream, Response response, Callback callback) {
        return new BatchingResponseListener(request, upstream, response, callback);
    }

    /** Jetty's listener, with the body read and written by a {@link Pump}. */
    protected class BatchingResponseListener extends ProxyResponseListener {
        private final Response downstream;
        /** Set before the upstream can report success (both come through its serialized invoker, headers first). */
        private volatile boolean bodyRead;

        protected BatchingResponseListener(
                Request request, org.eclipse.jetty.client.Request upstream, Response response, Callback callback) {
            super(request, upstream, response, callback);
            this.downstream = response;
        }

        @Override
        public void onContentSource(org.eclipse.jetty.client.Response answer, Content.Source body) {
            bodyRead = true;
            new Pump(answer, body).iterate();
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response answer) {
            // the pump writes the last piece once it has read the body's end; success can be reported before that
            if (!bodyRead) super.onSuccess(answer);
        }

        /**
         * Reads what the upstream has, gathers it, and flushes when a read finds nothing more; an iterating callback, so a
         * write that completes at once does not nest the next read in it.
         */
        private final class Pump extends IteratingCallback {
            private final org.eclipse.jetty.client.Response answer;
            private final Content.Source body;
            private final BufferedContentSink batch;
            private Content.Chunk writing;
            private boolean held;
            private boolean lastWritten;

            Pump(org.eclipse.jetty.client.Response answer, Content.Source body) {
                this.answer = answer;
                this.body = body;
                this.batch = new BufferedContentSink(
                        downstream, downstream.getRequest().getComponents().getByteBufferPool(), false, BATCH, BATCH);
            }

            @Override
            protected Action process() {
                if (writing != null) {
                    lastWritten = writing.isLast();
                    writing.release();
                    writing = null;
                    if (lastWritten) return Action.SUCCEEDED;
                }
                Content.Chunk chunk = body.read();
                if (chunk == null) {
                    if (!held) {
                        body.demand(this::iterate);
                        return Action.IDLE;
                    }
                    held = false;
                    batch.flush(this); // nothing more is waiting: what was gathered goes now
                    return Action.SCHEDULED;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // answered by the proxy's failure path for a failed exchange, as without batching
                    answer.abort(chunk.getFailure());
                    if (!chunk.isLast()) body.fail(chunk.getFailure());
                    return Action.SUCCEEDED;
                }
                writing = chunk;
                held = !chunk.isLast();
                batch.write(chunk.isLast(), chunk.getByteBuffer(), this);
                return Action.SCHEDULED;
            }

            @Override
            protected void onCompleteSuccess() {
                if (lastWritten) BatchingResponseListener.this.succeeded();
            }

            @Override
            protected void onCompleteFailure(Throwable failure) {
                if (writing != null) writing.release();
                writing = null;
                answer.abort(failure); // the client is gone: so is the upstream exchange
                BatchingResponseListener.this.failed(failure);
            }
        }
    }
}
