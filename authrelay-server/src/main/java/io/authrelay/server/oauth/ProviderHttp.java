package io.authrelay.server.oauth;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.authrelay.server.outbound.ProviderNetwork;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Sends one request to a provider with timeouts. Requests that never reached the server (connection
 * refused, no route) are retried at once with a short jittered backoff: they cost the provider nothing
 * and so cannot break its poll interval. Anything that reached the server is the caller's to classify. Every request
 * goes through the {@link ProviderNetwork}'s proxy and trust.
 */
public final class ProviderHttp {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    private static final RetryPolicy<HTTPResponse> NOT_CONNECTED = RetryPolicy.<HTTPResponse>builder()
            .handle(ConnectException.class, NoRouteToHostException.class)
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .withJitter(0.25)
            .withMaxRetries(2)
            .build();

    private final ProviderNetwork network;

    public ProviderHttp(ProviderNetwork network) {
        this.network = network;
    }

    HTTPResponse send(HTTPRequest request) throws IOException {
        request.setProxy(network.proxyFor(request.getURI()));
        if (network.tls() != null) request.setSSLSocketFactory(network.tls());
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        if (request.getHeaderValue("Accept") == null) request.setAccept("application/json");
        try {
            return Failsafe.with(NOT_CONNECTED).get(() -> request.send());
        } catch (dev.failsafe.FailsafeException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw e;
        }
    }

    /** A short, secret-free description of why a request failed, for timelines and errors. */
    static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) return "timeout";
        if (e instanceof ConnectException) return "connection refused";
        if (e instanceof UnknownHostException) return "unknown host";
        if (e instanceof NoRouteToHostException) return "no route to host";
        String name = e.getClass().getSimpleName();
        return e.getMessage() != null && e.getMessage().toLowerCase().contains("reset")
                ? "connection reset"
                : "I/O error (" + name + ")";
    }
}
