package io.authrelay.server.migrate;

import io.authrelay.client.AuthrelayHome;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * A home's SQLite database opened read-only (SQLite itself refuses any write, so the source cannot change), after
 * making sure no daemon serves it: a daemon that kept writing would make the copy stale the moment it finished.
 */
public final class SqliteSource implements AutoCloseable {
    private static final long SHM_DEAD_MAN_SWITCH = 128;

    private final Path file;
    private final Connection connection;

    private SqliteSource(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens {@code file} for reading only; refuses a missing file and one whose home's daemon answers. */
    public static SqliteSource open(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new CopyRefusal("no SQLite database at " + absolute);
        }
        requireNoDaemon(absolute.getParent().resolve(AuthrelayHome.SOCKET));
        requireNotOpenElsewhere(absolute);
        return new SqliteSource(absolute, connect(absolute));
    }

    /** A read-only connection with a busy timeout; SQLite refuses every write on it. */
    public static Connection connect(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try {
            return config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new CopyRefusal("cannot open " + file + " read-only: " + e.getMessage(), e);
        }
    }

    private static void requireNoDaemon(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException stale) {
            return; // a killed daemon's socket: nobody answers, nobody writes
        }
        throw new CopyRefusal("a daemon is running on this database (" + socket
                + " answers): stop the daemon first (authrelay stop), then migrate");
    }

    /**
     * A daemon serving the file from another home (`--db jdbc:sqlite:…`) has no socket beside it, but every connection
     * to a WAL database holds a shared lock on one byte of its {@code -shm} file (SQLite's "dead man switch", offset
     * 128 on Unix) for as long as it is open: if an exclusive lock on that byte is refused, another process has the
     * database open. Checked before this process opens any connection of its own, since POSIX locks are per process
     * and closing this channel would drop them.
     */
    private static void requireNotOpenElsewhere(Path file) {
        Path shm = file.resolveSibling(file.getFileName() + "-shm");
        if (!Files.exists(shm, LinkOption.NOFOLLOW_LINKS)) return;
        try (FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock(SHM_DEAD_MAN_SWITCH, 1, false);
            if (probe != null) {
                probe.release();
                return;
            }
        } catch (IOException e) {
            throw new CopyRefusal("cannot check whether " + file + " is in use: " + e.getMessage(), e);
        }
        throw new CopyRefusal(file + " is open in another process (a daemon?): stop the daemon first, then migrate");
    }

    public Path file() {
        return file;
    }

    /**
     * The connection, inside one read transaction: every table is read from the same snapshot, so the counts the
     * migration verifies are those of one moment.
     */
    public Connection snapshot() {
        try {
            if (connection.getAutoCommit()) connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failure(e);
        }
        return connection;
    }

    /** The tables in the source's schema, without SQLite's own. */
    public Set<String> tables() {
        Set<String> tables = new TreeSet<>();
        try (var rs = snapshot()
                .createStatement()
                .executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rs.next()) tables.add(rs.getString(1));
        } catch (SQLException e) {
            throw failure(e);
        }
        return tables;
    }

    /** A read that failed: a locked database means a writer holds it, which is a running daemon. */
    CopyRefusal failure(SQLException e) {
        if (e.getErrorCode() == SQLiteErrorCode.SQLITE_BUSY.code
                || e.getErrorCode() == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return new CopyRefusal(file + " is locked by another process: stop the daemon first, then migrate", e);
        }
        return new CopyRefusal("cannot read " + file + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // read-only: nothing to undo
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a read-only connection loses nothing
        }
    }
}
