package io.authrelay.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Copies bytes both ways between two connected sockets until either side ends, then closes both. */
final class Relay {
    private Relay() {}

    /** Sees the bytes a client sends, as they pass. */
    interface Tap {
        void seen(byte[] buffer, int length);
    }

    static void between(Socket client, Socket target) {
        between(client, target, (buffer, length) -> {});
    }

    static void between(Socket client, Socket target, Tap fromClient) {
        Thread upstream = Thread.ofPlatform().daemon().start(() -> copy(client, target, fromClient));
        copy(target, client, (buffer, length) -> {});
        upstream.interrupt();
    }

    private static void copy(Socket from, Socket to, Tap tap) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                tap.seen(buffer, n);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // either side closed
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
