package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under sustained writes the write-ahead log is emptied once no reader holds an old snapshot, never blocking long. */
class WalCheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointEmptiesTheLogAndOneHeldBackByAReaderSucceedsOnceItEnds() throws Exception {
        Path file = dir.resolve("authrelay.db");
        Path wal = dir.resolve("authrelay.db-wal");
        try (Database db = Database.openSqlite(file)) {
            WalCheckpoints checkpoints = new WalCheckpoints(db, 10_000);
            db.with(h -> h.execute("CREATE TABLE filler(x BLOB)"));
            write(db);
            assertThat(Files.size(wal)).isPositive();

            assertThat(checkpoints.checkpoint()).isTrue();
            assertThat(Files.size(wal)).isZero();

            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                reader.setAutoCommit(false);
                try (Statement s = reader.createStatement();
                        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM filler")) {
                    assertThat(rs.next()).isTrue(); // the reader now holds its snapshot until it ends
                }
                write(db);
                assertThat(checkpoints.checkpoint())
                        .as("a reader holds the log")
                        .isFalse();
                assertThat(Files.size(wal)).isPositive();
                reader.commit();
            }
            assertThat(checkpoints.checkpoint()).isTrue();
            assertThat(Files.size(wal)).isZero();
            // The pool's connection got its usual busy timeout back.
            int busyTimeout = db.with(h ->
                    h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one());
            assertThat(busyTimeout).isEqualTo(10_000);
        }
    }

    private static void write(Database db) {
        db.inTransaction(() -> {
            for (int i = 0; i < 50; i++) {
                db.with(h -> h.execute("INSERT INTO filler(x) VALUES (randomblob(4096))"));
            }
            return null;
        });
    }
}
