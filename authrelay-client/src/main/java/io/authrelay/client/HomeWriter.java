package io.authrelay.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Writes delivered files under a home directory the user named, so that nothing lands outside it whatever is planted
 * inside: every directory below the home is opened relative to its parent's open handle with {@code O_NOFOLLOW}
 * ({@link SecureDirectoryStream}), so a symbolic link anywhere on the way fails the write instead of being followed:
 * one there before is refused by name, one swapped in between that check and the open ends in ELOOP. The home itself
 * is resolved to its real path (a link the user named is the user's choice). Missing directories are created 0700;
 * the JDK has no mkdirat, so they are made by path, and a process that can write inside the home and swaps a parent
 * for a link at that moment gets an empty directory made elsewhere, never a file. Each file is replaced atomically: a
 * 0600 temp file in the same directory, written, fsynced, then renamed over the old one, so a reader sees the old file
 * or the new one, never a part; the last good file stays when anything fails.
 */
final class HomeWriter {
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path named;

    /** @param home created 0700 (with its missing parents) at the first write, then resolved to its real path */
    HomeWriter(Path home) {
        this.named = home.toAbsolutePath().normalize();
    }

    /**
     * Checks every file's way first (nothing is written when one is refused), then writes them in order.
     *
     * @return the absolute paths written
     * @throws DeliveryWriteRefused something in the home is not what a safe write needs (a link, a non-directory)
     * @throws IOException          "cannot write PATH: reason" for any other failure
     */
    List<Path> write(List<Delivery.File> files) throws IOException {
        Path home = prepare();
        for (Delivery.File file : files) guarded(home.resolve(file.path()), () -> check(home, file.path()));
        List<Path> written = new ArrayList<>();
        for (Delivery.File file : files) {
            Path target = home.resolve(file.path());
            guarded(target, () -> writeOne(home, file));
            written.add(target);
        }
        return written;
    }

    private interface Step {
        void run() throws IOException;
    }

    /** A refusal as it is; any other failure as "cannot write PATH: reason". */
    private static void guarded(Path target, Step step) throws IOException {
        try {
            step.run();
        } catch (DeliveryWriteRefused refused) {
            throw refused;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + reason(e), e);
        }
    }

    private Path prepare() throws IOException {
        try {
            if (!Files.isDirectory(named))
                Files.createDirectories(named, PosixFilePermissions.asFileAttribute(DIR_MODE));
            return named.toRealPath();
        } catch (IOException e) {
            throw new IOException("cannot use " + named + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
        if (e instanceof FileSystemException) return e.getClass().getSimpleName();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Refuses a path whose existing parts below the home include a link or a non-directory, before any write. */
    private static void check(Path home, String relative) throws IOException {
        String[] segments = relative.split("/");
        Path at = home;
        for (int i = 0; i < segments.length; i++) {
            at = at.resolve(segments[i]);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                return;
            }
            boolean last = i == segments.length - 1;
            if (attributes.isSymbolicLink()) throw refused(relative, at, "is a symbolic link");
            if (!last && !attributes.isDirectory()) throw refused(relative, at, "is not a directory");
            if (last && !attributes.isRegularFile()) throw refused(relative, at, "is not a regular file");
        }
    }

    private static void writeOne(Path home, Delivery.File file) throws IOException {
        String[] segments = file.path().split("/");
        SecureDirectoryStream<Path> dir = open(home);
        Path dirPath = home;
        try {
            for (int i = 0; i < segments.length - 1; i++) {
                SecureDirectoryStream<Path> child = child(dir, dirPath, segments[i], file.path());
                dir.close();
                dir = child;
                dirPath = dirPath.resolve(segments[i]);
            }
            replace(dir, dirPath, segments[segments.length - 1], file);
        } finally {
            dir.close();
        }
    }

    private static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
        if (stream instanceof SecureDirectoryStream<Path> secure) return secure;
        stream.close();
        throw new IOException("this platform cannot open directories without following links; nothing written");
    }

    /** The sub-directory {@code name} of {@code parent}, created 0700 when missing, opened without following links. */
    private static SecureDirectoryStream<Path> child(
            SecureDirectoryStream<Path> parent, Path parentPath, String name, String relative) throws IOException {
        Path entry = Path.of(name);
        Path full = parentPath.resolve(name);
        for (int tries = 0; ; tries++) {
            try {
                BasicFileAttributes attributes = parent.getFileAttributeView(
                                entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
                if (attributes.isSymbolicLink()) throw refused(relative, full, "is a symbolic link");
                if (!attributes.isDirectory()) throw refused(relative, full, "is not a directory");
                return parent.newDirectoryStream(entry, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                if (tries > 0) throw missing;
                try {
                    Files.createDirectory(full, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } catch (FileAlreadyExistsException raced) {
                    // someone else made it: the next round checks what it is
                }
                parent.getFileAttributeView(entry, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(DIR_MODE);
            }
        }
    }

    private static void replace(SecureDirectoryStream<Path> dir, Path dirPath, String name, Delivery.File file)
            throws IOException {
        Path target = Path.of(name);
        Path full = dirPath.resolve(name);
        try {
            BasicFileAttributes existing = dir.getFileAttributeView(
                            target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            if (existing.isSymbolicLink()) throw refused(file.path(), full, "is a symbolic link");
            if (!existing.isRegularFile()) throw refused(file.path(), full, "is not a regular file");
        } catch (NoSuchFileException fine) {
            // a first write
        }
        Path temp = Path.of("." + name + ".authrelay-" + HexFormat.of().formatHex(randomBytes()) + ".tmp");
        Set<OpenOption> options =
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
        boolean moved = false;
        try {
            try (SeekableByteChannel channel = dir.newByteChannel(temp, options, mode)) {
                // the umask can only take bits away; set them exactly anyway
                dir.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(FILE_MODE);
                ByteBuffer bytes = ByteBuffer.wrap(file.content().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) channel.write(bytes);
                if (channel instanceof FileChannel fileChannel) fileChannel.force(true);
            }
            dir.move(temp, dir, target);
            moved = true;
        } finally {
            if (!moved) {
                try {
                    dir.deleteFile(temp);
                } catch (IOException ignored) {
                    // never created, or already gone
                }
            }
        }
        syncDirectory(dirPath);
    }

    /** Makes the rename durable; best effort, as not every file system lets a directory be synced. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // the file itself is synced; only the rename may be lost on a crash
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static DeliveryWriteRefused refused(String relative, Path at, String why) {
        return new DeliveryWriteRefused(relative, at + " " + why + ": refusing to write " + relative);
    }

    /** A file the home's contents do not let us write safely; the message names the path, never content. */
    static final class DeliveryWriteRefused extends FileSystemException {
        private static final long serialVersionUID = 1L;

        DeliveryWriteRefused(String file, String reason) {
            super(file, null, reason);
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }
}
