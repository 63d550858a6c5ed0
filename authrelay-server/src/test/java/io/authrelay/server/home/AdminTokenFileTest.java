package io.authrelay.server.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import io.authrelay.core.Transactions;
import io.authrelay.core.token.Tokens;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.sql.Database;
import io.authrelay.server.sql.SqlAdminCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void aProvisionedTokenIsUsedCopiedForTheLocalCliAndNeverReplaced() throws Exception {
        DaemonHome home = DaemonHome.resolve(dir.resolve("home"), Map.of());
        home.prepare();
        String token = Tokens.generate(Tokens.ADMIN_PREFIX);
        Path provisioned = written(dir.resolve("secret"), token + "\n");
        try (Database db = Database.openSqlite(home.database())) {
            AdminTokenFile adminToken = AdminTokenFile.open(
                    home,
                    new SqlAdminCredential(db),
                    db,
                    Clock.systemUTC(),
                    Map.of(AdminTokenFile.PROVISIONED_ENV, provisioned.toString()),
                    true);
            assertThat(Tokens.matches(token, adminToken.hash())).isTrue();
            assertThat(Files.readString(home.adminToken()).strip()).isEqualTo(token);
            assertThatThrownBy(adminToken::rotate)
                    .isInstanceOfSatisfying(
                            DomainException.class, e -> assertThat(e.code()).isEqualTo("admin_token_provisioned"));
            assertThat(Files.readString(provisioned).strip()).isEqualTo(token);
            assertThat(new SqlAdminCredential(db).tokenHash()).isEmpty(); // nothing issued
        }
    }

    @Test
    void onASharedDatabaseNoReplicaIssuesATokenByItself() throws Exception {
        DaemonHome home = DaemonHome.resolve(dir.resolve("home"), Map.of());
        home.prepare();
        try (Database db = Database.openSqlite(home.database())) {
            assertThatThrownBy(() -> AdminTokenFile.open(
                            home, new SqlAdminCredential(db), db, Clock.systemUTC(), Map.of(), true))
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining(AdminTokenFile.PROVISIONED_ENV);
            assertThat(Files.exists(home.adminToken())).isFalse();
        }
    }

    @Test
    void aWeakOrExposedProvisionedTokenIsRefusedWithoutQuotingIt() throws Exception {
        DaemonHome home = DaemonHome.resolve(dir.resolve("home"), Map.of());
        home.prepare();
        try (Database db = Database.openSqlite(home.database())) {
            for (String weak : new String[] {"short-token", "ara_" + "x".repeat(40) + " spaced", "\n"}) {
                Path file = written(dir.resolve("weak"), weak);
                assertThatThrownBy(() -> AdminTokenFile.open(
                                home,
                                new SqlAdminCredential(db),
                                db,
                                Clock.systemUTC(),
                                Map.of(AdminTokenFile.PROVISIONED_ENV, file.toString()),
                                true))
                        .isInstanceOf(StartupRefusal.class)
                        .hasMessageNotContaining(weak.strip().isEmpty() ? "\u0000" : weak.strip());
            }
            String token = Tokens.generate(Tokens.ADMIN_PREFIX);
            Path readable = written(dir.resolve("readable"), token);
            Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
            assertThatThrownBy(() -> AdminTokenFile.open(
                            home,
                            new SqlAdminCredential(db),
                            db,
                            Clock.systemUTC(),
                            Map.of(AdminTokenFile.PROVISIONED_ENV, readable.toString()),
                            true))
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("group or others");
        }
    }

    private static Path written(Path file, String content) throws java.io.IOException {
        PrivateFiles.writeAtomically(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return file;
    }
}
