package io.authrelay.server.http;

import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

/**
 * The Unix socket inside the home. The home is 0700 and this user's, so only this user's daemon can have made the
 * socket: local clients send the home's admin token through it and nowhere else, which keeps the token from any
 * listener another user put on the daemon's TCP port while the daemon was down.
 */
public final class HomeSocketListener {
    private HomeSocketListener() {}

    /** Clears a socket left by a killed daemon, and refuses when a live daemon still answers on it. */
    public static void claim(Path socket) {
        if (socket.toString().length() >= UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH) {
            throw new StartupRefusal("the home's path is too long for its socket " + socket + " (at most "
                    + (UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH - 1)
                    + " characters): choose a shorter --home");
        }
        if (!Files.exists(socket)) return;
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new StartupRefusal("another authrelay daemon already serves this home (" + socket
                    + " answers): stop it first, or choose another --home");
        } catch (IOException stale) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                throw new StartupRefusal("cannot remove the stale socket " + socket + ": " + e.getMessage(), e);
            }
        }
    }

    public static Connector connector(Server server, HttpConfiguration http, Path socket) {
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(socket);
        return connector;
    }

    /** Once bound: owner-only, so the file itself refuses others even if the home's mode were widened later. */
    public static void restrict(Path socket) {
        try {
            Files.setPosixFilePermissions(socket, PrivateFiles.OWNER_RW);
        } catch (IOException e) {
            throw new StartupRefusal("cannot restrict " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Whether a request came through the home's socket rather than over TCP. */
    static boolean carried(io.javalin.http.Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request != null && carried(request);
    }

    static boolean carried(org.eclipse.jetty.server.Request request) {
        return request.getConnectionMetaData().getConnector() instanceof UnixDomainServerConnector;
    }
}
