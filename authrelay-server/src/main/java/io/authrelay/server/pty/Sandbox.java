package io.authrelay.server.pty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The bubblewrap sandbox a run's CLI is wrapped in: the whole filesystem read-only, the run's directory read-write,
 * a private /tmp, the daemon's home hidden under an empty tmpfs, its own PID namespace (everything dies with the run)
 * and a new session (no way back to the daemon's terminal). The network stays shared: the CLIs listen on loopback
 * and talk to their vendor. Whether bwrap works is probed once per runner: in some containers it is installed but
 * not allowed to create namespaces.
 */
final class Sandbox {
    /** The launch decision for one run: the argv prefix, or why there is none. */
    record Launch(List<String> prefix, boolean sandboxed, String reasonNot) {}

    private static final List<String> NAMESPACES = List.of("--unshare-pid", "--die-with-parent", "--new-session");

    private final Optional<Path> bwrap;
    private final String unavailableReason;
    private final Optional<Path> setsid;

    private Sandbox(Optional<Path> bwrap, String unavailableReason, Optional<Path> setsid) {
        this.bwrap = bwrap;
        this.unavailableReason = unavailableReason;
        this.setsid = setsid;
    }

    /** Looks for bwrap on the daemon's PATH and checks that it can actually sandbox here. */
    static Sandbox probe() {
        Optional<Path> setsid = onPath("setsid");
        Optional<Path> bwrap = onPath("bwrap");
        if (bwrap.isEmpty()) return new Sandbox(Optional.empty(), "bwrap is not installed", setsid);
        List<String> probe = new ArrayList<>(List.of(bwrap.get().toString(), "--ro-bind", "/", "/", "--dev", "/dev"));
        probe.addAll(List.of("--proc", "/proc"));
        probe.addAll(NAMESPACES);
        probe.add("true");
        try {
            Process p = new ProcessBuilder(probe)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Sandbox(Optional.empty(), "bwrap did not answer its probe", setsid);
            }
            if (p.exitValue() != 0) {
                return new Sandbox(
                        Optional.empty(),
                        "bwrap cannot create namespaces here (probe exit " + p.exitValue() + ")",
                        setsid);
            }
            return new Sandbox(bwrap, null, setsid);
        } catch (IOException e) {
            return new Sandbox(Optional.empty(), "bwrap could not start: " + e.getMessage(), setsid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sandbox(Optional.empty(), "interrupted while probing bwrap", setsid);
        }
    }

    String describe() {
        return bwrap.isPresent() ? "bwrap sandbox available" : "no sandbox: " + unavailableReason;
    }

    /**
     * How to launch a run. Without the sandbox a pipe run still gets a session of its own (setsid), so the CLI cannot
     * reach the daemon's terminal and its whole process group is known; a PTY run gets one from the PTY.
     *
     * @throws SandboxUnavailableException in {@code bwrap} mode when bwrap cannot be used
     */
    Launch launch(RunSpec spec, RunDirectory dir) {
        if (spec.sandbox() != SandboxMode.NONE && bwrap.isPresent()) {
            return new Launch(bwrapPrefix(spec, dir), true, null);
        }
        String reason = spec.sandbox() == SandboxMode.NONE ? "sandbox mode none" : unavailableReason;
        if (spec.sandbox() == SandboxMode.BWRAP) throw new SandboxUnavailableException(reason);
        List<String> prefix =
                !spec.pty() && setsid.isPresent() ? List.of(setsid.get().toString()) : List.of();
        return new Launch(prefix, false, reason);
    }

    private List<String> bwrapPrefix(RunSpec spec, RunDirectory dir) {
        List<String> argv = new ArrayList<>(List.of(bwrap.get().toString(), "--ro-bind", "/", "/"));
        argv.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
        Path daemonHome = spec.daemonHome();
        if (daemonHome != null && Files.isDirectory(daemonHome)) {
            argv.addAll(
                    List.of("--tmpfs", daemonHome.toAbsolutePath().normalize().toString()));
        }
        // after the tmpfs mounts: the run directory may lie below /tmp or the daemon's home
        String root = dir.root().toString();
        argv.addAll(List.of("--bind", root, root, "--chdir", dir.home().toString()));
        argv.addAll(NAMESPACES);
        argv.add("--");
        return argv;
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) return Optional.of(candidate.toAbsolutePath());
        }
        return Optional.empty();
    }

    /** A {@code bwrap}-mode run on a machine where bwrap cannot sandbox. */
    static final class SandboxUnavailableException extends IllegalStateException {
        SandboxUnavailableException(String reason) {
            super("the run needs the bwrap sandbox, which is unavailable: " + reason);
        }
    }
}
