package io.authrelay.server;

import io.authrelay.server.http.PemTls;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The daemon's TCP listener: plain HTTP, or TLS from the PEM files it was given. */
final class Listeners {
    private Listeners() {}

    static Connector tcp(Server server, HttpConfiguration http, DaemonOptions options) {
        ServerConnector connector = options.tls()
                ? new ServerConnector(
                        server,
                        PemTls.contextFactory(options.tlsCert(), options.tlsKey()),
                        new HttpConnectionFactory(http))
                : new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.listen().host());
        connector.setPort(options.listen().port());
        return connector;
    }
}
