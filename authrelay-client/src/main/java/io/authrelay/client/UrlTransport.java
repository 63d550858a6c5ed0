package io.authrelay.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URL;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP over TCP with {@link HttpURLConnection}: much cheaper to start than {@code java.net.http.HttpClient}, which
 * sets up TLS even for plain http:// and costs a short-lived command about 0.2 s.
 */
final class UrlTransport implements Transport {
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    static {
        // HttpURLConnection silently re-sends a request once when a kept-alive connection fails; retries are
        // ours to decide (and to count against the deadline). Read once, when its HTTP client class loads.
        if (System.getProperty("sun.net.http.retryPost") == null) System.setProperty("sun.net.http.retryPost", "false");
    }

    private final URI base;
    private final SSLSocketFactory tls;

    /** @param ca the only authorities trusted for an https broker, or null for the JDK's */
    UrlTransport(URI base, CaBundle ca) {
        this.base = base;
        this.tls = ca == null ? null : ca.socketFactory();
    }

    @Override
    public BrokerClient.Response exchange(
            Request request, long remainingMillis, int attempt, Consumer<Closeable> opened) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url(request.path()).openConnection();
        opened.accept(connection::disconnect);
        // Only the trust changes: HttpsURLConnection still checks the broker's name against its certificate.
        if (tls != null && connection instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
        connection.setRequestMethod(request.method());
        connection.setConnectTimeout((int) Math.max(1, Math.min(CONNECT_TIMEOUT_MILLIS, remainingMillis)));
        connection.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestProperty("Accept", "application/json");
        connection.setRequestProperty("User-Agent", HttpMessages.USER_AGENT);
        if (request.token() != null) connection.setRequestProperty("Authorization", "Bearer " + request.token());
        if (request.jsonBody() != null) {
            // Not streaming mode: in streaming mode HttpURLConnection drops the body of a 401, which says
            // whether the token was revoked, expired or never valid. The body is tiny anyway.
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request.jsonBody());
            }
        }
        int status = connection.getResponseCode();
        if (status < 100) throw new ProtocolException("not an HTTP response");
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = in == null ? "" : HttpMessages.readBounded(in);
        return new BrokerClient.Response(status, text, connection.getHeaderField("Retry-After"), attempt);
    }

    private URL url(String path) {
        try {
            return URI.create(base.toString() + path).toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad broker path " + path, e);
        }
    }
}
