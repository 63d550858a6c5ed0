package io.authrelay.server.home;

import io.authrelay.server.StartupRefusal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Files only the owner may read: created 0600 from the first byte, replaced atomically, checked on load. */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    /** Creates an empty 0600 file if absent; never widens or narrows an existing one. */
    public static void createIfAbsent(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_RW));
        } catch (FileAlreadyExistsException ignored) {
            // an existing file is checked by requireOwnerOnly, not silently changed
        }
    }

    /**
     * Writes via a 0600 temp file and an atomic rename, so a reader never sees a half-written key or token, and makes
     * it durable before returning: the temp file's bytes are forced to disk before the rename (else a power loss can
     * leave the new name on an empty file), and the directory after it (else the rename itself can be lost, and the
     * old file come back). A temp file left by a crash is only ever a leftover: it is replaced here, and no reader
     * opens it ({@link #discardInterruptedWrite}).
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = temporary(file);
        Files.deleteIfExists(tmp);
        try (FileChannel channel = FileChannel.open(
                tmp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_RW))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Removes what an interrupted {@link #writeAtomically} of {@code file} left: its temp file, never the file. */
    public static void discardInterruptedWrite(Path file) throws IOException {
        Path tmp = temporary(file);
        // exists first: on a read-only mount (a keyset from a secret store) even deleting nothing fails with EROFS
        if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) Files.delete(tmp);
    }

    private static Path temporary(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".tmp");
    }

    /**
     * fsync of a directory: opening it for reading works on Linux (and macOS and the BSDs). Where a directory cannot
     * be opened (Windows, which the POSIX-permission home does not support anyway, or a directory without read
     * permission) the fallback is the file's own fsync: its content is safe, and the rename reaches disk with the
     * file system's next metadata commit.
     */
    private static void forceDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    public static boolean isOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        return perms.stream().noneMatch(GROUP_OR_OTHER::contains);
    }

    public static void requireOwnerOnly(Path file, String what) {
        try {
            if (!isOwnerOnly(file)) {
                throw new StartupRefusal(what + " " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + "): run chmod 600 "
                        + file);
            }
        } catch (IOException e) {
            throw new StartupRefusal("cannot read permissions of " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
