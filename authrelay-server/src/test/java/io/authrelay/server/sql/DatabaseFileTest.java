package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.StartupRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database file holds sealed secrets and token hashes: wherever it is, only its owner may read it. */
class DatabaseFileTest {
    @TempDir
    Path dir;

    @Test
    void aNewDatabaseIsCreatedOwnerOnlyAnywhere() throws Exception {
        Path file = dir.resolve("elsewhere").resolve("authrelay.db");
        Files.createDirectories(file.getParent());
        Database.openSqlite(file).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Database.openSqlite(file).close(); // and opens again as it is
    }

    @Test
    void anExistingDatabaseOthersCanReadIsRefusedBeforeItIsOpened() throws Exception {
        Path file = dir.resolve("shared.db");
        Database.openSqlite(file).close();
        for (String mode : new String[] {"rw-r--r--", "rw-rw----", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> Database.openSqlite(file))
                    .as(mode)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("database " + file)
                    .hasMessageContaining("chmod 600");
        }
    }
}
