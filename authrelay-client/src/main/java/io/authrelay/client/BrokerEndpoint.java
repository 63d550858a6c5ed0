package io.authrelay.client;

import java.net.URI;

/** Where the broker answers: a URL over TCP, or the socket inside a home, which only that home's daemon can hold. */
public sealed interface BrokerEndpoint {
    /** For messages: the URL, or the home whose daemon is meant. */
    String describe();

    /** @param ca the authorities {@code AUTHRELAY_CA_FILE} names, trusted instead of the JDK's; null for the JDK's */
    record Url(URI url, CaBundle ca) implements BrokerEndpoint {
        public Url(URI url) {
            this(url, null);
        }

        @Override
        public String describe() {
            return url.toString();
        }
    }

    record HomeSocket(AuthrelayHome home) implements BrokerEndpoint {
        @Override
        public String describe() {
            return "the daemon of " + home.dir() + " (socket " + home.socket() + ")";
        }
    }
}
