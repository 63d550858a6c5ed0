package io.authrelay.server.pty;

import io.authrelay.client.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A run's private directory: {@code home/} (the CLI's HOME and working directory), {@code bin/} (the browser
 * recorders, first on PATH) and {@code browser-urls} (what they recorded). Everything is owner-only. It lives on
 * tmpfs ({@code /dev/shm}) when that is usable, so a credential the CLI writes never reaches a disk, else under the
 * spec's runs directory. {@link #wipe()} deletes it all.
 */
final class RunDirectory {
    private static final Path TMPFS = Path.of("/dev/shm");
    private static final String PREFIX = "run-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path home() {
        return root.resolve("home");
    }

    Path bin() {
        return root.resolve("bin");
    }

    Path browserUrls() {
        return root.resolve("browser-urls");
    }

    /** Creates a fresh run directory with its home, recorders and the spec's files. */
    static RunDirectory create(RunSpec spec) throws IOException {
        RunDirectory dir = new RunDirectory(createRoot(spec.runsDir()));
        createPrivateDir(dir.home());
        createPrivateDir(dir.bin());
        writePrivate(dir.browserUrls(), "");
        dir.writeRecorders();
        for (Map.Entry<String, String> file : spec.files().entrySet()) {
            Path target = dir.home().resolve(relativeInside(file.getKey()));
            createPrivateDirs(dir.home(), target.getParent());
            writePrivate(target, file.getValue());
        }
        return dir;
    }

    private static Path createRoot(Path runsDir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path root = baseFor(runsDir).resolve(PREFIX + HexFormat.of().formatHex(randomBytes()));
            try {
                createPrivateDir(root);
                return root;
            } catch (NoSuchFileException e) {
                // another run's wipe removed the empty tmpfs base just now: make it again
                if (attempt == 2) throw e;
            }
        }
    }

    /** The directories run homes may be in for this runs directory: its own tmpfs directory, then itself. */
    static List<Path> bases(Path runsDir) {
        return List.of(tmpfsBase(runsDir), runsDir);
    }

    private static Path baseFor(Path runsDir) throws IOException {
        if (Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)) {
            Path tmpfs = tmpfsBase(runsDir);
            try {
                createPrivateDirs(TMPFS, tmpfs);
                return tmpfs;
            } catch (IOException e) {
                // someone else owns that name, or tmpfs is full: fall back to the runs directory on disk
            }
        }
        createPrivateDirs(runsDir.getRoot(), runsDir);
        return runsDir;
    }

    /** One directory per runs directory, so daemons sharing /dev/shm never sweep each other's runs. */
    private static Path tmpfsBase(Path runsDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(runsDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return TMPFS.resolve("authrelay-runs-" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * The recorders: {@code $BROWSER} and an {@code xdg-open} found first on PATH append every URL they are handed to
     * {@code browser-urls}, and succeed, so the CLI carries on as if a browser opened.
     */
    private void writeRecorders() throws IOException {
        String script = "#!/bin/sh\n"
                + "# authrelay: records the URL the CLI wants opened, instead of opening a browser\n"
                + "for url in \"$@\"; do printf '%s\\n' \"$url\"; done >> '" + browserUrls() + "'\n"
                + "exit 0\n";
        for (String name : List.of("browser", "xdg-open")) {
            Path recorder = bin().resolve(name);
            Files.writeString(recorder, script, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    Path browserRecorder() {
        return bin().resolve("browser");
    }

    /** A spec's relative file name, refused when it is absolute or climbs out of the home. */
    static Path relativeInside(String relative) {
        Path path = Path.of(relative).normalize();
        if (relative.isBlank()
                || path.isAbsolute()
                || path.startsWith("..")
                || path.toString().isEmpty()) {
            throw new IllegalArgumentException("a run file must be a relative path inside the home: " + relative);
        }
        return path;
    }

    private static void createPrivateDir(Path dir) throws IOException {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void createPrivateDirs(Path existing, Path dir) throws IOException {
        if (dir.equals(existing) || Files.isDirectory(dir)) return;
        createPrivateDirs(existing, dir.getParent());
        try {
            createPrivateDir(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Deletes the run's directory, and its tmpfs base once that is empty (so /dev/shm keeps no trace). */
    void wipe() {
        deleteTree(root);
        Path base = root.getParent();
        if (base.startsWith(TMPFS)) {
            try {
                Files.deleteIfExists(base);
            } catch (IOException e) {
                // DirectoryNotEmptyException: other runs still live there
            }
        }
    }

    /** Deletes a run directory left by a crash (or anything under a base), whatever the CLI did to its modes. */
    static void deleteTree(Path top) {
        try {
            FileTrees.delete(top);
        } catch (IOException e) {
            throw new UncheckedIOException("could not wipe " + top, e);
        }
    }

    /** The run directories under each base of a runs directory. */
    static List<Path> leftovers(Path runsDir) {
        return bases(runsDir).stream()
                .filter(Files::isDirectory)
                .flatMap(base -> {
                    try (var entries = Files.list(base)) {
                        return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList().stream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
    }
}
