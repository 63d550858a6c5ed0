package io.authrelay.server.backup;

import io.authrelay.server.home.PrivateFiles;
import io.authrelay.server.migrate.CopyRefusal;
import io.authrelay.server.migrate.SqliteSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code authrelay backup}: an online copy of a home's SQLite database, taken by this process, not the daemon.
 * {@code VACUUM INTO} reads inside one read transaction, and in WAL mode a reader sees one consistent snapshot while
 * the daemon keeps writing (it never waits for the copy, nor the copy for it); so the backup needs no API route, no
 * admin token and works the same whether the daemon runs or not. The copy is written into a file made 0600 first,
 * since SQLite keeps the mode of a file it opens.
 */
public final class SqliteBackup {
    private static final Set<PosixFilePermission> SHARED_DIRECTORY =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private SqliteBackup() {}

    /** Copies {@code database} into {@code output}; returns the copy's size in bytes. */
    public static long copy(Path database, Path output, boolean force) {
        Path source = database.toAbsolutePath().normalize();
        Path target = output.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new CopyRefusal("no SQLite database at " + source);
        }
        prepare(source, target, force);
        try (Connection connection = SqliteSource.connect(source);
                PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new CopyRefusal("backup failed: " + e.getMessage(), e);
        }
        requireIntact(target);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
            channel.force(true);
            return channel.size();
        } catch (IOException e) {
            throw new CopyRefusal("cannot sync " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A fresh, empty 0600 file in a directory only its owner can write (nobody may swap the file for a link between
     * the check and SQLite's open); an existing file only with {@code force}, and never the database itself.
     */
    private static void prepare(Path source, Path target, boolean force) {
        Path dir = target.getParent();
        try {
            if (!Files.isDirectory(dir)) throw new CopyRefusal("no directory " + dir);
            if (Files.getPosixFilePermissions(dir).stream().anyMatch(SHARED_DIRECTORY::contains)) {
                throw new CopyRefusal(
                        "others may write to " + dir + ": write the backup into a directory only you can write to");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new CopyRefusal(target + " exists and is not a regular file");
                }
                if (Files.isSameFile(source, target) || isCompanion(source, target)) {
                    throw new CopyRefusal(target + " is the database itself: choose another file");
                }
                if (Files.size(target) > 0 && !force) {
                    throw new CopyRefusal(target + " exists and is not empty: choose a new file, or --force");
                }
                Files.delete(target);
            }
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_RW));
        } catch (IOException e) {
            throw new CopyRefusal("cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    /** SQLite's journal files beside the database, however the directory is named (links resolved). */
    private static boolean isCompanion(Path source, Path target) throws IOException {
        String name = target.getFileName().toString();
        String base = source.getFileName().toString();
        return target.getParent().toRealPath().equals(source.getParent().toRealPath())
                && (name.equals(base + "-wal") || name.equals(base + "-shm") || name.equals(base + "-journal"));
    }

    private static void requireIntact(Path copy) {
        try (Connection connection = SqliteSource.connect(copy);
                ResultSet rs = connection.createStatement().executeQuery("PRAGMA quick_check")) {
            String result = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(result)) throw new CopyRefusal("the backup " + copy + " fails its check: " + result);
        } catch (SQLException e) {
            throw new CopyRefusal("cannot check the backup " + copy + ": " + e.getMessage(), e);
        }
    }
}
