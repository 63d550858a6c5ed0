package io.authrelay.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real authenticating git server for tests: `git http-backend` (CGI) behind Basic auth that accepts exactly
 * one password, the token the broker is supposed to hold. Anything else gets 401, as a forge would answer. It speaks
 * HTTPS with a test certificate (as forges do) or, for the tests of {@code --allow-http}, plain HTTP.
 */
public final class GitHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Path projectRoot;
    private final boolean tls;
    public final AtomicReference<String> acceptedPassword = new AtomicReference<>();
    public final AtomicInteger rejected = new AtomicInteger();
    /** Every request the forge received: method, raw path and all its headers, so tests can see what got through. */
    public final java.util.Queue<String> requests = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The value of every Authorization header the forge received, so tests can see where a token went. */
    public final java.util.Queue<String> authorizations = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** @param certificate the forge's TLS identity, or null for plain HTTP */
    GitHttpServer(Path projectRoot, TestCertificate certificate) throws IOException {
        this.projectRoot = projectRoot;
        this.tls = certificate != null;
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (tls) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 0);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return "127.0.0.1:" + port();
    }

    public String protocol() {
        return tls ? "https" : "http";
    }

    /** The URL of a repository under the project root, e.g. {@code url("repo.git")}. */
    public String url(String repository) {
        return protocol() + "://" + host() + "/" + repository;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                            + exchange.getRequestHeaders().entrySet());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) authorizations.add(authorization);
            String user = authenticatedUser(authorization);
            if (user == null) {
                rejected.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test-forge\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            runBackend(exchange, user);
        }
    }

    private String authenticatedUser(String header) {
        if (header == null || !header.startsWith("Basic ")) return null;
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) return null;
        String password = decoded.substring(colon + 1);
        return password.equals(acceptedPassword.get()) ? decoded.substring(0, colon) : null;
    }

    private void runBackend(HttpExchange exchange, String user) throws IOException {
        ProcessBuilder cgi = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = cgi.environment();
        env.put("GIT_PROJECT_ROOT", projectRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        env.put(
                "QUERY_STRING",
                exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : exchange.getRequestURI().getRawQuery());
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        var headers = exchange.getRequestHeaders();
        if (headers.getFirst("Content-Type") != null) env.put("CONTENT_TYPE", headers.getFirst("Content-Type"));
        if (headers.getFirst("Content-Encoding") != null)
            env.put("HTTP_CONTENT_ENCODING", headers.getFirst("Content-Encoding"));
        if (headers.getFirst("Git-Protocol") != null) env.put("GIT_PROTOCOL", headers.getFirst("Git-Protocol"));
        Process process = cgi.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (InputStream body = exchange.getRequestBody();
                    OutputStream stdin = process.getOutputStream()) {
                body.transferTo(stdin);
            } catch (IOException ignored) {
                // the backend closed its input early; its output says why
            }
        });
        InputStream out = process.getInputStream();
        int status = 200;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = out.read();
            if (b < 0) break;
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String header = line.toString(StandardCharsets.UTF_8).replace("\r", "");
            line.reset();
            if (header.isEmpty()) break;
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) status = Integer.parseInt(value.substring(0, 3));
            else exchange.getResponseHeaders().add(name, value);
        }
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream response = exchange.getResponseBody()) {
            out.transferTo(response);
        }
        try {
            feeder.join();
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
