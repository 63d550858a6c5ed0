package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a finished run must not leave behind: processes working in its directory, the directory, pty4j folders. */
final class Leftovers {
    private Leftovers() {}

    static void assertNone(RunHandle run) {
        Path root = run.home().getParent();
        assertThat(root).as("the run's directory is wiped").doesNotExist();
        assertThat(processesIn(root))
                .as("processes still working in the run's directory")
                .isEmpty();
        assertThat(pty4jFolders())
                .as("new pty4j folders in the temp directories")
                .isSubsetOf(Runners.pty4jFoldersBefore());
    }

    /** Pids whose working directory or HOME lies in {@code root}. */
    static List<Long> processesIn(Path root) {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path dir : entries.toList()) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                if (cwdIn(dir, root) || homeIn(dir, root)) found.add(Long.parseLong(name));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    private static boolean cwdIn(Path dir, Path root) {
        try {
            return Files.readSymbolicLink(dir.resolve("cwd")).startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean homeIn(Path dir, Path root) {
        try {
            String environ = new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8);
            return Stream.of(environ.split("\0"))
                    .anyMatch(e ->
                            e.startsWith("HOME=") && Path.of(e.substring(5)).startsWith(root));
        } catch (IOException e) {
            return false;
        }
    }

    static List<Path> pty4jFolders() {
        List<Path> found = new ArrayList<>();
        for (Path tmp : List.of(Path.of("/tmp"), Path.of(System.getProperty("java.io.tmpdir")))) {
            try (Stream<Path> entries = Files.list(tmp)) {
                entries.filter(p -> p.getFileName().toString().startsWith("pty4j"))
                        .forEach(found::add);
            } catch (IOException e) {
                // no such directory: nothing left there
            }
        }
        return found;
    }
}
