package io.authrelay.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP exchange with the daemon's JSON API, using only the JDK. HttpURLConnection rather than
 * java.net.http.HttpClient: the latter sets up TLS even for plain http:// and costs a CLI command ~0.2 s of start-up.
 */
public final class DaemonClient {
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final DaemonTarget target;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;

    public DaemonClient(DaemonTarget target, Duration connectTimeout, Duration requestTimeout) {
        this.target = target;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.requestTimeoutMillis = (int) requestTimeout.toMillis();
    }

    public DaemonTarget target() {
        return target;
    }

    /** @param jsonBody null for requests without a body */
    public Response send(String method, String path, String jsonBody) throws DaemonUnreachableException {
        HttpURLConnection connection = null;
        try {
            connection =
                    (HttpURLConnection) target.baseUrl().resolve(path).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(requestTimeoutMillis);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            if (target.token() != null) connection.setRequestProperty("Authorization", "Bearer " + target.token());
            if (jsonBody != null) {
                byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, body);
        } catch (ConnectException e) {
            throw new DaemonUnreachableException("no authrelay daemon at " + target.baseUrl(), e);
        } catch (SocketTimeoutException e) {
            throw new DaemonUnreachableException("the daemon at " + target.baseUrl() + " did not answer in time", e);
        } catch (IOException e) {
            throw new DaemonUnreachableException(
                    "cannot talk to the daemon at " + target.baseUrl() + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        } finally {
            if (connection != null) connection.disconnect();
        }
    }
}
