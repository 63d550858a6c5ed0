package io.authrelay.server.pty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything a run started, and its killing. The CLIs spawn node children and background servers that may leave their
 * parent (codex's app server, a daemonised helper), so a process belongs to the run when it is a descendant of the
 * run's process, shares its session, or has its working directory or HOME in the run's directory. SIGTERM first, then
 * SIGKILL for what is still there after the grace period.
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final Duration POLL = Duration.ofMillis(50);

    /** -1 for strays: its session members are found by this pid even once it has exited. */
    private final long rootPid;
    /** Null when it ended before it was looked up; knows its start time, so a reused pid is not taken for it. */
    private final ProcessHandle root;

    private final Path runRoot;

    private ProcessTree(long rootPid, ProcessHandle root, Path runRoot) {
        this.rootPid = rootPid;
        this.root = root;
        this.runRoot = runRoot;
    }

    /** A run's processes: the one started, its descendants, its session, and what works in the run's directory. */
    static ProcessTree of(long startedPid, ProcessHandle started, Path runRoot) {
        return new ProcessTree(startedPid, started, runRoot);
    }

    /** Processes working in a directory left by a crashed daemon (their parent is gone). */
    static ProcessTree strayedInto(Path runRoot) {
        return new ProcessTree(-1, null, runRoot);
    }

    /** Every live process of the run, the root included while it lives. */
    Set<ProcessHandle> members() {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        if (root != null) {
            if (root.isAlive()) found.add(root);
            root.descendants().forEach(found::add);
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong)
                    .filter(pid -> pid != self && pid != rootPid)
                    .filter(this::belongsToRun)
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(found::add));
        } catch (IOException e) {
            // no /proc: the descendants are what we know
        }
        return found;
    }

    private boolean belongsToRun(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        return inSessionOfRoot(dir) || hasCwdInRun(dir) || hasHomeInRun(dir);
    }

    private boolean inSessionOfRoot(Path dir) {
        if (rootPid < 0) return false;
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]) == rootPid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean hasCwdInRun(Path dir) {
        try {
            return Files.readSymbolicLink(dir.resolve("cwd")).startsWith(runRoot);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean hasHomeInRun(Path dir) {
        try {
            byte[] environ = Files.readAllBytes(dir.resolve("environ"));
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith("HOME=") && Path.of(entry.substring(5)).startsWith(runRoot)) return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Ends every process of the run: SIGTERM, then SIGKILL after {@code grace}; returns when none is left. */
    void kill(Duration grace) {
        Set<ProcessHandle> members = members();
        if (members.isEmpty()) return;
        members.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            members = members();
            if (members.isEmpty()) return;
            sleep();
        }
        // up to a few rounds: a dying parent may still fork
        for (int round = 0; round < 20; round++) {
            members = members();
            if (members.isEmpty()) return;
            members.forEach(ProcessHandle::destroyForcibly);
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
