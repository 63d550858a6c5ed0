package io.authrelay.cli.custody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What another local user runs to steal the admin token: a listener on the daemon's TCP port (taken while the daemon
 * is down) or on a socket in a home it planted, answering every request the way a ready authrelay daemon would, and
 * writing every request head it receives to a log the test reads.
 *
 * <p>{@code Impostor tcp PORT LOG} or {@code Impostor unix SOCKET LOG}. It prints "listening" once it is.
 */
public final class Impostor {
    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: 68\r\n\r\n"
                    + "{\"status\":\"ready\",\"version\":\"0.1.0\",\"api_version\":1,\"instance\":\"x1\"}")
            .getBytes(StandardCharsets.UTF_8);

    private Impostor() {}

    public static void main(String[] args) throws IOException {
        Path log = Path.of(args[2]);
        Files.writeString(log, "");
        if (args[0].equals("tcp")) {
            try (ServerSocket server =
                    new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getLoopbackAddress())) {
                announce();
                while (true) {
                    try (Socket client = server.accept()) {
                        serve(client.getInputStream(), client.getOutputStream(), log);
                    }
                }
            }
        }
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(args[1]));
            Files.setPosixFilePermissions(
                    Path.of(args[1]), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            announce();
            while (true) {
                try (SocketChannel client = server.accept()) {
                    serve(Channels.newInputStream(client), Channels.newOutputStream(client), log);
                }
            }
        }
    }

    private static void announce() {
        System.out.println("listening");
        System.out.flush();
    }

    private static void serve(InputStream in, OutputStream out, Path log) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && head.size() < 65_536) {
            int b = in.read();
            if (b < 0) break;
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Files.writeString(log, head.toString(StandardCharsets.ISO_8859_1) + "\n----\n", StandardOpenOption.APPEND);
        out.write(ANSWER);
        out.flush();
    }
}
