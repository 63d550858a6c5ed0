package io.authrelay.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A broker stand-in on 127.0.0.1 with a scriptable answer per request, recording what it received. */
public final class FakeBroker implements AutoCloseable {
    /** One received request. */
    public record Request(String method, String path, String authorization, String contentType, String body) {}

    /**
     * What to answer; {@code delayMillis} before answering (the handler sleeps); with {@code trickleMillis} > 0
     * the body is sent one byte at a time with that pause between bytes.
     */
    public record Answer(int status, String body, String retryAfter, long delayMillis, long trickleMillis) {
        public static Answer json(int status, String body) {
            return new Answer(status, body, null, 0, 0);
        }

        public Answer trickled(long millisPerByte) {
            return new Answer(status, body, retryAfter, delayMillis, millisPerByte);
        }

        public static Answer error(int status, String code, String message, String hint) {
            StringBuilder b = new StringBuilder("{\"error\":{\"code\":");
            MiniJson.quote(b, code);
            b.append(",\"message\":");
            MiniJson.quote(b, message);
            if (hint != null) {
                b.append(",\"hint\":");
                MiniJson.quote(b, hint);
            }
            return new Answer(status, b.append("}}").toString(), null, 0, 0);
        }

        public Answer retryAfter(String value) {
            return new Answer(status, body, value, delayMillis, trickleMillis);
        }

        public Answer delayed(long millis) {
            return new Answer(status, body, retryAfter, millis, trickleMillis);
        }
    }

    /** Picks the answer for the n-th request (0-based). */
    public interface Script {
        Answer answer(int index, Request request);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-broker");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Script script;

    public FakeBroker(Script script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeBroker always(Answer answer) throws IOException {
        return new FakeBroker((i, r) -> answer);
    }

    public void script(Script next) {
        this.script = next;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body);
            int index;
            synchronized (requests) {
                index = requests.size();
                requests.add(request);
            }
            Answer answer = script.answer(index, request);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (answer.retryAfter() != null) exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    if (answer.trickleMillis() <= 0) {
                        out.write(bytes);
                    } else {
                        for (byte b : bytes) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(answer.trickleMillis());
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the client went away (deadline): fine
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
