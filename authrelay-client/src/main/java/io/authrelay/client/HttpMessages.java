package io.authrelay.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 on a raw stream, for the daemon's Unix socket: the JDK's HTTP clients speak only TCP. One request per
 * connection ({@code Connection: close}); the answer is read by Content-Length, chunked, or to the end of the stream,
 * and bounded like every answer this client reads.
 */
final class HttpMessages {
    static final String USER_AGENT = "authrelay-client";
    static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private HttpMessages() {}

    static void writeRequest(OutputStream out, Transport.Request request) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(request.method())
                .append(' ')
                .append(request.path())
                .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccept: application/json\r\nUser-Agent: ")
                .append(USER_AGENT)
                .append("\r\n");
        if (request.token() != null)
            head.append("Authorization: Bearer ").append(request.token()).append("\r\n");
        byte[] body = request.jsonBody();
        if (body != null) head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) out.write(body);
        out.flush();
    }

    static BrokerClient.Response readResponse(InputStream in, int attempt) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new ProtocolException("not an HTTP response");
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("not an HTTP status: " + parts[1]);
        }
        long contentLength = -1;
        boolean chunked = false;
        String retryAfter = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) throw new ProtocolException("malformed header line");
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> contentLength = parseLength(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "retry-after" -> retryAfter = value;
                default -> {}
            }
        }
        byte[] body = chunked ? readChunked(in) : contentLength >= 0 ? readExactly(in, contentLength) : readToEnd(in);
        return new BrokerClient.Response(status, new String(body, StandardCharsets.UTF_8), retryAfter, attempt);
    }

    /** The rest of a stream as UTF-8, refusing answers larger than any the broker sends. */
    static String readBounded(InputStream in) throws IOException {
        try (in) {
            return new String(readToEnd(in), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_RESPONSE_BYTES) throw tooLarge();
        }
        return out.toByteArray();
    }

    private static byte[] readExactly(InputStream in, long length) throws IOException {
        if (length > MAX_RESPONSE_BYTES) throw tooLarge();
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) throw new EOFException("the answer ended early");
        return body;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        while (true) {
            String sizeLine = readLine(in);
            int extension = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("malformed chunk size");
            }
            if (size == 0) {
                while (!readLine(in).isEmpty()) {} // trailers end at a blank line
                return out.toByteArray();
            }
            if (out.size() + size > MAX_RESPONSE_BYTES) throw tooLarge();
            out.write(readExactly(in, size));
            if (!readLine(in).isEmpty()) throw new ProtocolException("malformed chunk");
        }
    }

    /** One CRLF- (or LF-) terminated line of the head, in ISO-8859-1 as HTTP defines it. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("the connection closed before the answer was complete");
            if (b == '\n') break;
            line.write(b);
            if (line.size() > MAX_HEAD_BYTES) throw new ProtocolException("header line too long");
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static long parseLength(String value) throws ProtocolException {
        try {
            long length = Long.parseLong(value);
            if (length < 0) throw new NumberFormatException();
            return length;
        } catch (NumberFormatException e) {
            throw new ProtocolException("malformed Content-Length");
        }
    }

    private static ProtocolException tooLarge() {
        return new ProtocolException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
}
