package io.authrelay.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `authrelay server` as a real child process, started and waited for until /readyz answers 200. */
final class DaemonProcess {
    private DaemonProcess() {}

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Process start(Path home, int port, Path log, String... extra) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("server", "--home=" + home, "--listen=127.0.0.1:" + port, "--log-level=debug"));
        args.addAll(List.of(extra));
        Process process = CliProcess.builder(Map.of(), args.toArray(String[]::new))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new AssertionError("daemon exited: " + Files.readString(log));
            try {
                var ready = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) return process;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("daemon not ready in time: " + Files.readString(log));
    }
}
