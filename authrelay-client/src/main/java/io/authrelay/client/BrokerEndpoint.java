package io.authrelay.client;

import java.net.URI;

/** Where the broker answers: a URL over TCP, or the socket inside a home, which only that home's daemon can hold. */
public sealed interface BrokerEndpoint {
    /** For messages: the URL, or the home whose daemon is meant. */
    String describe();

    record Url(URI url) implements BrokerEndpoint {
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
