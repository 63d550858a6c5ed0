package io.authrelay.client;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;

/** One HTTP exchange with the broker: the step {@link BrokerClient}'s retry loop repeats. */
interface Transport {
    /** @param jsonBody null for requests without a body */
    record Request(String method, String path, String token, byte[] jsonBody) {}

    /**
     * @param remainingMillis time left before the caller's deadline
     * @param opened          receives what cuts the exchange off, as soon as there is a connection to cut
     * @return the answer, whatever its status
     */
    BrokerClient.Response exchange(Request request, long remainingMillis, int attempt, Consumer<Closeable> opened)
            throws IOException;

    static Transport to(BrokerEndpoint endpoint) {
        return switch (endpoint) {
            case BrokerEndpoint.Url url -> new UrlTransport(url.url(), url.ca());
            case BrokerEndpoint.HomeSocket socket -> new HomeSocketTransport(socket.home());
        };
    }
}
