package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay gathers an upstream's small pieces into larger writes, and still passes on at once what has come when the
 * upstream pauses: the client reads the first piece while the upstream is still waiting for the test to let it go on.
 */
class BatchingProxyHandlerTest {
    private static final byte[] FIRST = "event: first\n\n".getBytes(StandardCharsets.UTF_8);
    private static final int PIECE = 4 * 1024;
    private static final int PIECES = 300;

    private final CountDownLatch goOn = new CountDownLatch(1);
    private final Server upstream = server(new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Content.Sink.write(response, false, ByteBuffer.wrap(FIRST)); // one small piece, sent now
            if (!goOn.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the client never saw the piece");
            // then many small pieces, each written on its own as the forge's nginx sends them
            for (int i = 0; i < PIECES; i++) Content.Sink.write(response, false, ByteBuffer.wrap(piece(i)));
            response.write(true, null, callback);
            return true;
        }
    });
    private final Server relay = server(new BatchingProxyHandler() {
        @Override
        protected HttpURI rewriteHttpURI(Request request) {
            return HttpURI.build(upstream.getURI().resolve("/stream"));
        }
    });

    @AfterEach
    void stop() throws Exception {
        goOn.countDown();
        relay.stop();
        upstream.stop();
    }

    @Test
    void aPieceIsPassedOnWhileTheUpstreamPausesAndManyPiecesArriveWholeAndInOrder() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> answer = client.send(
                    HttpRequest.newBuilder(relay.getURI().resolve("/stream")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.statusCode()).isEqualTo(200);
            InputStream body = answer.body();
            // the upstream sends nothing more until this read returns: a relay holding the piece for more would hang
            byte[] first = CompletableFuture.supplyAsync(() -> read(body, FIRST.length))
                    .get(20, TimeUnit.SECONDS);
            assertThat(first).isEqualTo(FIRST);

            goOn.countDown();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < PIECES; i++) expected.write(piece(i));
            assertThat(body.readAllBytes()).isEqualTo(expected.toByteArray());
        }
    }

    private static byte[] read(InputStream in, int length) {
        try {
            return in.readNBytes(length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each piece filled with its own number, so a lost, doubled or reordered piece shows. */
    private static byte[] piece(int i) {
        byte[] piece = new byte[PIECE];
        Arrays.fill(piece, (byte) i);
        return piece;
    }

    private static Server server(Handler handler) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return server;
    }
}
