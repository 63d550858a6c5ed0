package io.authrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A body too large gets its 413, every time, whatever its size and however it is framed: the answer is never lost to a
 * reset, and the connection ends cleanly (or stays usable) after it. The requests are written on raw sockets, the body
 * by a thread of its own while the test reads, as a client that sends its body at once does.
 */
class OversizedBodyTest {
    private static final int TIMES = 20;
    private static final int[] SIZES = {70_000, 1024 * 1024, 8 * 1024 * 1024};

    @RegisterExtension
    static final TestBroker d = TestBroker.inProcess();

    @Test
    void everyOversizedBodyWithAContentLengthGetsA413() throws Exception {
        for (int size : SIZES) {
            for (int i = 0; i < TIMES; i++) assertRefused(size, false, "Content-Length " + size + " #" + i);
        }
    }

    @Test
    void everyOversizedChunkedBodyGetsA413() throws Exception {
        for (int size : SIZES) {
            for (int i = 0; i < TIMES; i++) assertRefused(size, true, "chunked " + size + " #" + i);
        }
    }

    /**
     * The JDK client fails the whole exchange when writing its body fails, even with the answer on its way: before
     * the daemon read bodies up to 16 MiB, about one 8 MiB body in 20 ended in "header parser received no bytes".
     */
    @Test
    void theJdkClientGetsEvery413() {
        for (int size : SIZES) {
            String body = "{\"name\":\"" + "a".repeat(size) + "\"}";
            for (int i = 0; i < TIMES; i++) {
                TestBroker.expectError(413, "body_too_large", d.send("POST", "/v1/providers", body));
            }
        }
    }

    /** An unauthenticated client is refused before any route reads its body: its 401 is not lost either. */
    @Test
    void aLargeBodyRefusedBeforeTheRouteStillGetsItsAnswer() throws Exception {
        for (int i = 0; i < TIMES; i++) {
            Exchange exchange = exchange(8 * 1024 * 1024, false, null);
            assertThat(exchange.status()).as(exchange.head()).isEqualTo(401);
            assertThat(exchange.sendFailure()).as("the body could not be sent").isNull();
        }
    }

    private static void assertRefused(int size, boolean chunked, String what) throws Exception {
        Exchange exchange = exchange(size, chunked, d.adminToken());
        assertThat(exchange.status()).as(what + ": " + exchange.head()).isEqualTo(413);
        JsonNode error = tools.jackson.databind.json.JsonMapper.shared()
                .readTree(exchange.body())
                .path("error");
        assertThat(error.path("code").asString()).as(what).isEqualTo("body_too_large");
        assertThat(error.path("message").asString()).as(what).isNotEmpty();
        assertThat(exchange.end()).as(what).isIn("closed", "kept alive");
        assertThat(exchange.sendFailure())
                .as(what + ": the body could not be sent")
                .isNull();
    }

    /**
     * Writes a POST whose body is {@code size} bytes (a JSON string too long for the daemon) on its own thread, reads
     * the answer, then checks how the connection ends: a clean close (end of stream, no reset) when the answer said
     * {@code Connection: close}, or a connection that takes the next request when it did not.
     */
    private static Exchange exchange(int size, boolean chunked, String token) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), d.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String head = "POST /v1/providers HTTP/1.1\r\nHost: 127.0.0.1:" + d.port()
                    + "\r\nContent-Type: application/json\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n")
                    + "\r\n";
            var sendFailure = new java.util.concurrent.atomic.AtomicReference<IOException>();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    writeBody(out, size, chunked);
                    out.flush();
                } catch (IOException e) {
                    sendFailure.set(e);
                }
            });
            String answerHead = readHead(in);
            int length = contentLength(answerHead);
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            writer.join(30_000);
            String end;
            if (answerHead.toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
                end = in.read() < 0 ? "closed" : "more bytes after the answer";
            } else {
                out.write(("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:" + d.port() + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String next = readHead(in);
                end = next.startsWith("HTTP/1.1 200") ? "kept alive" : "next request answered " + next;
            }
            return new Exchange(answerHead, body, end, sendFailure.get());
        }
    }

    /** {@code {"name":"aaaa...}: the start of a JSON object, {@code size} bytes in all, never finished. */
    private static void writeBody(OutputStream out, int size, boolean chunked) throws IOException {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'a');
        byte[] open = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(open, 0, block, 0, open.length);
        for (int sent = 0; sent < size; ) {
            int n = Math.min(block.length, size - sent);
            if (chunked) out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(block, 0, n);
            if (chunked) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            if (sent == 0) Arrays.fill(block, 0, open.length, (byte) 'a');
            sent += n;
        }
        if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new AssertionError("the daemon closed the connection without an answer");
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }

    /** {@code sendFailure}: what the client got while still sending its body (a broken pipe, a reset), or null. */
    private record Exchange(String head, String body, String end, IOException sendFailure) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
