package io.authrelay.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test JVM's class path copied where other users can read it: the jars live under root's private ~/.m2, so a
 * process started as another user could not load them. Made once per JVM and removed when it exits.
 */
final class SharedClassPath {
    private static String classPath;

    private SharedClassPath() {}

    static synchronized String get() {
        if (classPath == null) classPath = copy();
        return classPath;
    }

    private static String copy() {
        try {
            Path root = Files.createTempDirectory("authrelay-shared-cp-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) continue;
                Path target = root.resolve(index++ + "-" + source.getFileName());
                copyTree(source, target);
                entries.add(target.toString());
            }
            readableByAll(root);
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Files.copy(p, target.resolve(source.relativize(p).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void readableByAll(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
