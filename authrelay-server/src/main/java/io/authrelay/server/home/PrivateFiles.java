package io.authrelay.server.home;

import io.authrelay.server.StartupRefusal;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** Writes via a 0600 temp file and an atomic rename, so a reader never sees a half-written key or token. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_RW));
        Files.write(tmp, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
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
