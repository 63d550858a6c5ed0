package io.authrelay.server;

import io.authrelay.core.login.PollPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A real daemon in this JVM on an ephemeral loopback port, with a real SQLite home, and a small HTTP client for it. */
public final class TestDaemon implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final Path home;
    public final Daemon daemon;
    public final String adminToken;

    private TestDaemon(Path home, Daemon daemon) throws IOException {
        this.home = home;
        this.daemon = daemon;
        this.adminToken = Files.readString(home.resolve("admin.token")).trim();
    }

    public static TestDaemon start(Path home) throws IOException {
        return start(home, Map.of());
    }

    public static TestDaemon start(Path home, Map<String, String> env) throws IOException {
        return start(home, env, PollPolicy.defaults());
    }

    public static TestDaemon start(Path home, Map<String, String> env, PollPolicy pollPolicy) throws IOException {
        DaemonOptions options = DaemonOptions.loopback(home, 0).withPollPolicy(pollPolicy);
        return new TestDaemon(home, Daemon.start(options, env, Clock.systemUTC()));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + daemon.port() + path);
    }

    public HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, adminToken);
    }

    public HttpResponse<String> send(String method, String path, String body, String token) {
        return send(method, path, body, token, "application/json");
    }

    public HttpResponse<String> send(String method, String path, String body, String token, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", contentType);
        if (contentType.equals("text/plain")) request.header("Accept", "text/plain");
        if (token != null) request.header("Authorization", "Bearer " + token);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void addStaticProvider(String name, String secret) {
        expect(
                201,
                send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"" + name + "\",\"type\":\"static\",\"host\":\"git.example.test\"}"));
        expect(200, send("PUT", "/v1/credentials/" + name, "{\"secret\":\"" + secret + "\"}"));
    }

    public static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError(
                    "expected HTTP " + status + " but got " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    @Override
    public void close() {
        daemon.close();
    }
}
