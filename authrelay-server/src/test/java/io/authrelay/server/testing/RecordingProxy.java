package io.authrelay.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on loopback that records what it was asked: {@code CONNECT host:port} tunnels (https) and
 * absolute-URI requests (plain http, each forwarded with {@code Connection: close} so every request is seen). It
 * records each request's line and whether it carried a {@code Proxy-Authorization} header, and keeps the first
 * {@value #TUNNEL_KEPT} bytes clients sent inside their tunnels: what a proxy in the middle could read.
 */
public final class RecordingProxy implements AutoCloseable {
    /** One request the proxy received: its request line, and whether it carried proxy credentials. */
    public record Seen(String requestLine, boolean proxyAuthorization) {}

    private static final int TUNNEL_KEPT = 4 << 20;

    private final ServerSocket server;
    private final ByteArrayOutputStream tunnelled = new ByteArrayOutputStream();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public RecordingProxy() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("recording-proxy").start(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** What clients sent through CONNECT tunnels, as the proxy saw it (the first {@value #TUNNEL_KEPT} bytes). */
    public byte[] tunnelled() {
        synchronized (tunnelled) {
            return tunnelled.toByteArray();
        }
    }

    public List<String> requestLines() {
        return seen.stream().map(Seen::requestLine).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofPlatform().daemon().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) return;
            String requestLine = head.getFirst();
            boolean credentials =
                    head.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:"));
            seen.add(new Seen(requestLine, credentials));
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("CONNECT")) {
                String[] hostPort = parts[1].split(":");
                try (Socket target = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                    client.getOutputStream()
                            .write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    Relay.between(client, target, this::keep);
                }
                return;
            }
            URI uri = URI.create(parts[1]);
            try (Socket target = new Socket(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80)) {
                StringBuilder forwarded = new StringBuilder(parts[0] + " " + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " " + parts[2] + "\r\n");
                for (String header : head.subList(1, head.size())) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (!lower.startsWith("connection:") && !lower.startsWith("proxy-")) {
                        forwarded.append(header).append("\r\n");
                    }
                }
                forwarded.append("Connection: close\r\n\r\n");
                target.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                Relay.between(client, target);
            }
        } catch (IOException | RuntimeException ended) {
            // a connection that ends mid-way is the client's or the target's business
        }
    }

    private void keep(byte[] buffer, int length) {
        synchronized (tunnelled) {
            tunnelled.write(buffer, 0, Math.min(length, Math.max(0, TUNNEL_KEPT - tunnelled.size())));
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                if (text.isEmpty()) return lines;
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) socket.close();
    }
}
