package io.authrelay.server.pty;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * A lock every daemon on the machine honours, whatever user it runs as: an OS file lock on
 * {@code <lockDir>/<name>.lock} (directory sticky and world-writable like /tmp, file world-writable so another user's
 * daemon can open it). Within this process waiters queue in order and are told their position; across processes the
 * OS lock decides. The lock dies with the process that holds it, so a crashed daemon never leaves it taken.
 */
final class MachineLock {
    private static final Duration RETRY = Duration.ofMillis(100);
    private static final List<Waiter> WAITERS = new ArrayList<>();

    private record Waiter(Path file) {}

    private MachineLock() {}

    /**
     * Waits for the lock; reports the queue position (1 = next) whenever it changes. Returns null when
     * {@code cancelled} turned true while waiting.
     */
    static FileLock acquire(Path lockDir, String name, IntConsumer queued, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        Path file = prepare(lockDir, name);
        Waiter me = new Waiter(file);
        synchronized (WAITERS) {
            WAITERS.add(me);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        try {
            int lastPosition = -1;
            while (!cancelled.getAsBoolean()) {
                int position = positionOf(me);
                if (position == 0) {
                    FileLock lock = tryLock(channel);
                    if (lock != null) return lock;
                }
                // waiting behind another daemon's run counts as one place ahead of us
                int shown = position + 1;
                if (shown != lastPosition) {
                    queued.accept(shown);
                    lastPosition = shown;
                }
                Thread.sleep(RETRY);
            }
            channel.close();
            return null;
        } catch (IOException | InterruptedException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            synchronized (WAITERS) {
                WAITERS.remove(me);
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // a run of this process still holds it
        }
    }

    private static int positionOf(Waiter me) {
        synchronized (WAITERS) {
            int ahead = 0;
            for (Waiter w : WAITERS) {
                if (w == me) return ahead;
                if (w.file().equals(me.file())) ahead++;
            }
            return ahead;
        }
    }

    /** Releases the lock and closes its file. */
    static void release(FileLock lock) {
        if (lock == null) return;
        try (FileChannel channel = lock.channel()) {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases the lock anyway
        }
    }

    /** Mode 1777, as /tmp: NIO cannot set the sticky bit, so chmod does. */
    private static void stickyWorldWritable(Path dir) throws IOException {
        try {
            Process chmod = new ProcessBuilder("chmod", "1777", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (chmod.waitFor() != 0) throw new IOException("chmod 1777 " + dir + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing " + dir, e);
        }
    }

    private static Path prepare(Path lockDir, String name) throws IOException {
        if (!Files.isDirectory(lockDir)) {
            try {
                Files.createDirectories(lockDir);
                stickyWorldWritable(lockDir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another daemon made it first
            }
        }
        Path file = lockDir.resolve(name + ".lock");
        if (!Files.exists(file)) {
            try {
                Files.createFile(file);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another daemon made it first
            }
        }
        return file;
    }
}
