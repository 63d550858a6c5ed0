package io.authrelay.server.pty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs AI CLIs for their logins: each run in a private home, with an environment built from scratch, optionally in a
 * PTY and a bwrap sandbox, its output scanned for the URL, code and prompts, and everything it started killed and its
 * home wiped at the end. Knows nothing of drivers or sessions: a {@link RunSpec} says what to run.
 */
public final class CliRunner {
    private static final Logger log = LoggerFactory.getLogger(CliRunner.class);

    private final Sandbox sandbox;

    /**
     * @param nativeDir a private directory for pty4j's and JNA's native libraries, unpacked there once rather than
     *     into a new /tmp/pty4j-* folder per JVM that nobody removes
     */
    public CliRunner(Path nativeDir) {
        usePrivateNativeDir(nativeDir);
        this.sandbox = Sandbox.probe();
        log.info("CLI runs: {}", sandbox.describe());
    }

    /**
     * Starts a run: creates its home and decides the sandbox now (a {@code bwrap}-mode run fails here when it cannot
     * be sandboxed), then waits for its lock, if any, and runs on its own threads.
     */
    /** Whether runs can be sandboxed here, and why not: for doctor and the daemon's status. */
    public String sandboxDescription() {
        return sandbox.describe();
    }

    public RunHandle start(RunSpec spec, RunListener listener) throws IOException {
        RunDirectory dir = RunDirectory.create(spec);
        Sandbox.Launch launch;
        try {
            launch = sandbox.launch(spec, dir);
        } catch (RuntimeException e) {
            dir.wipe();
            throw e;
        }
        CliRun run = new CliRun(spec, listener, dir, launch);
        run.start();
        return run;
    }

    /**
     * Removes the run directories a crashed daemon left (call before the first run), after killing any process still
     * working in one of them.
     */
    /** The run directories that exist now for {@code runsDir}, on tmpfs or disk: none once every run has ended. */
    public static List<Path> runDirectories(Path runsDir) {
        return RunDirectory.leftovers(runsDir);
    }

    public static void wipeLeftovers(Path runsDir) {
        for (Path leftover : RunDirectory.leftovers(runsDir)) {
            ProcessTree.strayedInto(leftover).kill(Duration.ofSeconds(2));
            RunDirectory.deleteTree(leftover);
            log.info("wiped a CLI run left over by an earlier daemon: {}", leftover.getFileName());
        }
    }

    private static void usePrivateNativeDir(Path nativeDir) {
        try {
            Files.createDirectories(nativeDir);
            Files.setPosixFilePermissions(nativeDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + nativeDir, e);
        }
        setIfUnset("pty4j.tmpdir", nativeDir);
        setIfUnset("jna.tmpdir", nativeDir);
    }

    private static void setIfUnset(String property, Path dir) {
        if (System.getProperty(property) == null)
            System.setProperty(property, dir.toAbsolutePath().toString());
    }
}
