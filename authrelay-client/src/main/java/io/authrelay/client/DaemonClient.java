package io.authrelay.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One HTTP exchange with the daemon's JSON API, using only the JDK. */
public final class DaemonClient {
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final DaemonTarget target;
    private final HttpClient http;
    private final Duration requestTimeout;

    public DaemonClient(DaemonTarget target, Duration connectTimeout, Duration requestTimeout) {
        this.target = target;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public DaemonTarget target() {
        return target;
    }

    /** @param jsonBody null for requests without a body */
    public Response send(String method, String path, String jsonBody) throws DaemonUnreachableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.baseUrl().resolve(path))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) request.header("Content-Type", "application/json");
        if (target.token() != null) request.header("Authorization", "Bearer " + target.token());
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (ConnectException e) {
            throw new DaemonUnreachableException("no authrelay daemon at " + target.baseUrl(), e);
        } catch (HttpTimeoutException e) {
            throw new DaemonUnreachableException("the daemon at " + target.baseUrl() + " did not answer in time", e);
        } catch (IOException e) {
            throw new DaemonUnreachableException("cannot talk to the daemon at " + target.baseUrl() + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonUnreachableException("interrupted while waiting for the daemon", e);
        }
    }
}
