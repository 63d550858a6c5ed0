package io.authrelay.server.http;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers that go out before the request body was read must not break the connection under the client. A loaded
 * client writes its body after its headers, late; the daemon used to answer first (the token route ignores its body,
 * 413 refuses before reading), call the connection persistent, and close it a moment later, so the client's next
 * request on it got no answer ("HTTP/1.1 header parser received no bytes" in CrashRecoveryTest) and an oversized body
 * could end in a reset instead of its 413. The requests here are written by hand, so the body comes late every time.
 */
class UnreadBodyConnectionTest {
    /** Long enough that the daemon has answered, or would have, before the body arrives. */
    private static final long LATE_BODY_MILLIS = 100;

    private static final int ROUNDS = 5;

    /** Enough that the old behaviour, which lost a few percent of these 413s, fails the test. */
    private static final int CLIENT_ROUNDS = 200;

    @RegisterExtension
    final TestBroker d = TestBroker.inProcess();

    @Test
    void aBodyTheRouteIgnoresMayArriveLateAndTheConnectionTakesTheNextRequest() throws Exception {
        d.addStaticProvider("gh", "git.example.test", "s3cret-value");
        try (Connection connection = new Connection(d.port())) {
            for (int i = 0; i < ROUNDS; i++) {
                Answer token = connection.lateBody(headers("POST", "/v1/credentials/gh/token", 2), "{}");
                assertThat(token.status()).as(token.head()).isEqualTo(200);
                assertThat(token.body()).contains("s3cret-value");
                assertThat(token.closes()).as(token.head()).isFalse();
            }
            connection.write(headers("GET", "/readyz", 0));
            assertThat(connection.answer().status()).isEqualTo(200);
        }
    }

    /** The authenticator refuses before any route runs, so before any route could read the body. */
    @Test
    void aRefusalBeforeTheRouteLeavesTheConnectionInStep() throws Exception {
        String tokenless = "POST /v1/providers HTTP/1.1\r\nHost: 127.0.0.1:" + d.port()
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n";
        try (Connection connection = new Connection(d.port())) {
            for (int i = 0; i < ROUNDS; i++) {
                Answer refused = connection.lateBody(tokenless, "{}");
                assertThat(refused.status()).as(refused.head()).isEqualTo(401);
                assertThat(refused.closes()).as(refused.head()).isFalse();
            }
        }
    }

    /** Read to its end, an oversized body leaves the connection open: no reset can overtake the 413. */
    @Test
    void anOversizedBodyGetsIts413EvenWhenItArrivesLate() throws Exception {
        String body = "{\"name\":\"" + "a".repeat(RequestBodies.MAX_BYTES + 5_000) + "\"}";
        try (Connection connection = new Connection(d.port())) {
            for (int i = 0; i < ROUNDS; i++) {
                Answer refused = connection.lateBody(headers("POST", "/v1/providers", body.length()), body);
                assertThat(refused.status()).as(refused.head()).isEqualTo(413);
                assertThat(refused.body()).contains("body_too_large");
                assertThat(refused.closes()).as(refused.head()).isFalse();
            }
        }
    }

    /**
     * What a client sees: the JDK client, on a kept-alive connection, lost about one 413 in 50 to a reset or to
     * "header parser received no bytes" when the daemon closed the connection with the body half read.
     */
    @Test
    void theJdkClientGetsEvery413() {
        String body = "{\"name\":\"" + "a".repeat(RequestBodies.MAX_BYTES + 5_000) + "\"}";
        for (int i = 0; i < CLIENT_ROUNDS; i++) {
            expect(400, d.send("POST", "/v1/providers", "{not json"));
            expect(413, d.send("POST", "/v1/providers", body));
        }
    }

    private String headers(String method, String path, int contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + d.port() + "\r\nAuthorization: Bearer "
                + d.adminToken()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    /** One HTTP/1.1 answer: the status line and headers as sent, and the body they announced. */
    private record Answer(String head, String body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        boolean closes() {
            return head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        }

        int contentLength() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            throw new AssertionError("no Content-Length in " + head);
        }
    }

    /** A kept-alive HTTP/1.1 connection whose bytes the test writes itself. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** The headers now, the body once the daemon has had time to answer without it, then the answer. */
        Answer lateBody(String headers, String body) throws IOException, InterruptedException {
            write(headers);
            Thread.sleep(LATE_BODY_MILLIS);
            write(body);
            return answer();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Answer answer() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) throw new AssertionError("the daemon closed the connection without an answer");
                head.write(b);
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            byte[] body = in.readNBytes(new Answer(headText, "").contentLength());
            return new Answer(headText, new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
