package io.authrelay.server.testing;

import io.authrelay.server.http.PemTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLServerSocket;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS in front of a plain-http server on loopback (the provider simulator): terminates TLS with a PEM certificate and
 * key and relays the bytes, so a provider can be served under a private CA's certificate.
 */
public final class TlsFront implements AutoCloseable {
    private final ServerSocket server;
    private final int backendPort;

    public TlsFront(PrivateCa.Issued certificate, int backendPort) {
        this.backendPort = backendPort;
        try {
            SslContextFactory.Server factory = PemTls.contextFactory(certificate.certificate(), certificate.key());
            factory.start();
            SSLServerSocket socket = (SSLServerSocket) factory.getSslContext()
                    .getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.server = socket;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the TLS front", e);
        }
        Thread.ofPlatform().daemon().name("tls-front").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().start(() -> relay(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client;
                Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            Relay.between(client, backend);
        } catch (IOException | UncheckedIOException ended) {
            // a handshake refused by the client ends here, as it should
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
