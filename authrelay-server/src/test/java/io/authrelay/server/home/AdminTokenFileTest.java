package io.authrelay.server.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.Transactions;
import io.authrelay.core.token.Tokens;
import io.authrelay.server.sql.Database;
import io.authrelay.server.sql.SqlAdminCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token's file and the database's hash of it agree, even when a rotation fails half-way. */
class AdminTokenFileTest {
    @TempDir
    Path dir;

    @Test
    void aRotationWhoseCommitFailsLeavesTheOldTokenInTheFileAndInForce() throws Exception {
        DaemonHome home = DaemonHome.resolve(dir.resolve("home"), Map.of());
        home.prepare();
        try (Database db = Database.openSqlite(home.database())) {
            SqlAdminCredential stored = new SqlAdminCredential(db);
            AdminTokenFile.ensure(home, stored, db::inTransaction, Clock.systemUTC());
            String before = Files.readString(home.adminToken()).trim();

            Transactions commitFails = new Transactions() {
                @Override
                public <T> T inTransaction(Supplier<T> work) {
                    return db.inTransaction(() -> {
                        work.get();
                        throw new IllegalStateException("disk full at commit");
                    });
                }
            };
            AdminTokenFile adminToken = AdminTokenFile.ensure(home, stored, commitFails, Clock.systemUTC());
            assertThatThrownBy(adminToken::rotate).hasMessageContaining("disk full");

            String after = Files.readString(home.adminToken()).trim();
            assertThat(after).isEqualTo(before);
            assertThat(Tokens.matches(after, stored.tokenHash().orElseThrow())).isTrue();
            assertThat(Tokens.matches(after, adminToken.hash())).isTrue();
            AdminTokenFile.ensure(home, stored, db::inTransaction, Clock.systemUTC()); // the next start agrees
        }
    }
}
