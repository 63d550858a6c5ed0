package io.authrelay.mcp;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts a daemon when none answers: fully detached (its own session via setsid, stdio to the daemon log in
 * the home) so it outlives this MCP process, and guarded by a lock file so concurrent starts make one daemon.
 */
final class DaemonAutostart {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private DaemonAutostart() {}

    /** The last line the daemon wrote since {@code from}: its refusal, when it refused to start. */
    private static String lastLine(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String written = new String(
                        all,
                        (int) Math.min(from, all.length),
                        (int) Math.max(0, all.length - from),
                        java.nio.charset.StandardCharsets.UTF_8)
                .strip();
        int newline = written.lastIndexOf('\n');
        return written.isEmpty() ? "no output" : written.substring(newline + 1);
    }

    /**
     * @param command how to run the CLI (this JVM, its class path and main class), to which "server ..." is appended
     * @param ready   whether a daemon answers /readyz now
     */
    static void ensureRunning(Path home, List<String> command, String listen, BooleanSupplier ready) {
        try {
            Files.createDirectories(
                    home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path lockFile = home.resolve("daemon.lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (ready.getAsBoolean()) return; // another process started it while we waited for the lock
                Path log = home.resolve("daemon.log");
                List<String> detached = new java.util.ArrayList<>(List.of("setsid"));
                detached.addAll(command);
                detached.addAll(List.of("server", "--home", home.toString(), "--listen", listen));
                long logStart = Files.exists(log) ? Files.size(log) : 0;
                Process daemon = new ProcessBuilder(detached)
                        .redirectInput(new File("/dev/null"))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectErrorStream(true)
                        .start();
                Instant deadline = Instant.now().plus(READY_TIMEOUT);
                while (Instant.now().isBefore(deadline)) {
                    if (ready.getAsBoolean()) return;
                    // setsid runs the daemon in its own pid, so a daemon that refused to start is seen at once.
                    if (!daemon.isAlive()) {
                        throw new ToolFailure(
                                "the daemon it started exited: " + lastLine(log, logStart) + " (see " + log + ")");
                    }
                    Thread.sleep(200);
                }
                throw new ToolFailure(
                        "started a daemon but it was not ready within " + READY_TIMEOUT.toSeconds() + "s: see " + log);
            }
        } catch (IOException e) {
            throw new ToolFailure(
                    "cannot start the authrelay daemon (" + e.getMessage() + "): start it with `authrelay server`");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("interrupted while starting the daemon");
        }
    }
}
