package io.authrelay.server.pty;

import java.nio.file.Path;

/** One runner per test JVM (the sandbox probe and pty4j's native library are per process), and test paths. */
final class Runners {
    private static CliRunner runner;
    private static java.util.List<Path> pty4jFoldersBefore;

    private Runners() {}

    static synchronized CliRunner shared() {
        if (runner == null) {
            pty4jFoldersBefore = Leftovers.pty4jFolders();
            runner = new CliRunner(Path.of("target", "cli-native").toAbsolutePath());
        }
        return runner;
    }

    /** Folders other programs on the machine left before this JVM's first run. */
    static synchronized java.util.List<Path> pty4jFoldersBefore() {
        return pty4jFoldersBefore;
    }

    /** Where a test's run homes go when /dev/shm is not usable (under target/, never /tmp). */
    static Path runsDir(String test) {
        return Path.of("target", "cli-runs", test).toAbsolutePath();
    }
}
