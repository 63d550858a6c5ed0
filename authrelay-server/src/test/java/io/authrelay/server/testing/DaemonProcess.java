package io.authrelay.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/** `authrelay server` as a real child process, waited for until it answers /readyz; its output goes to a log file. */
final class DaemonProcess implements DaemonUnderTest {
    private final Process process;
    private final int port;
    private final Path log;
    private final javax.net.ssl.SSLContext tls;

    /** @param user the local user to run as, or null for the test's own */
    DaemonProcess(LocalUser user, Path home, int port, Path log, Map<String, String> env, List<String> extraArgs) {
        this(user, home, port, log, env, extraArgs, null);
    }

    /** @param tls the trust for a daemon that serves TLS, or null for plain HTTP */
    DaemonProcess(
            LocalUser user,
            Path home,
            int port,
            Path log,
            Map<String, String> env,
            List<String> extraArgs,
            javax.net.ssl.SSLContext tls) {
        this.port = port;
        this.tls = tls;
        this.log = log;
        List<String> args =
                new ArrayList<>(List.of("server", "--home=" + home, "--listen=127.0.0.1:" + port, "--log-level=debug"));
        args.addAll(extraArgs);
        try {
            this.process = Cli.builder(user, env, args)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (tls != null) client.sslContext(tls);
        HttpClient http = client.build();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port + "/readyz"))
                .build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new AssertionError("the daemon exited at start:\n" + log());
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the daemon", e);
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the daemon was not ready within 60 s:\n" + log());
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    @Override
    public int terminate() {
        process.destroy();
        if (!waitFor(10)) throw new AssertionError("the daemon did not stop within 10 s of SIGTERM:\n" + log());
        return process.exitValue();
    }

    @Override
    public int awaitExit(java.time.Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the daemon did not stop within " + timeout + ":\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
