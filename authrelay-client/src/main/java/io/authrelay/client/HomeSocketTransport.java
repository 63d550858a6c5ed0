package io.authrelay.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * HTTP through the Unix socket inside the daemon's home. The home is checked first: it must belong to this user and be
 * closed to everyone else, so the socket in it can only have been made by this user's daemon. That is the proof the
 * daemon gives before the home's admin token leaves this process.
 */
final class HomeSocketTransport implements Transport {
    private final AuthrelayHome home;

    HomeSocketTransport(AuthrelayHome home) {
        this.home = home;
    }

    @Override
    public BrokerClient.Response exchange(
            Request request, long remainingMillis, int attempt, Consumer<Closeable> opened) throws IOException {
        String untrusted = home.untrustedReason();
        if (untrusted != null) {
            throw new UntrustedBrokerException("not sending the admin token: " + untrusted);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            opened.accept(channel);
            channel.connect(UnixDomainSocketAddress.of(home.socket()));
            HttpMessages.writeRequest(new BufferedOutputStream(Channels.newOutputStream(channel)), request);
            return HttpMessages.readResponse(new BufferedInputStream(Channels.newInputStream(channel)), attempt);
        }
    }

    /** The endpoint failed its proof: nothing was sent, and retrying cannot help. */
    static final class UntrustedBrokerException extends IOException {
        private static final long serialVersionUID = 1L;

        UntrustedBrokerException(String message) {
            super(message);
        }
    }
}
