package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.home.PrivateFiles;
import io.authrelay.server.testing.TestDatabase;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database from before V8 that a race left with several active logins for one provider (PostgreSQL, two replicas)
 * migrates: the newest stays active, the others end as superseded, and the new index then holds one per provider.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class MigrationToV8Test {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    @Test
    void duplicateActiveLoginsAreClosedKeepingTheNewestBeforeTheUniqueIndex() throws Exception {
        String url;
        String password;
        if (database == TestDatabase.SQLITE) {
            Path file = dir.resolve("authrelay.db");
            PrivateFiles.createIfAbsent(file);
            url = "jdbc:sqlite:" + file;
            password = null;
        } else {
            url = TestPostgres.freshDatabase();
            password = TestPostgres.PASSWORD;
        }
        String locations = "classpath:db/" + (database == TestDatabase.SQLITE ? "sqlite" : "postgresql");
        String user = password == null ? null : TestPostgres.USER;
        Flyway.configure()
                .dataSource(url, user, password)
                .locations(locations)
                .target("7")
                .load()
                .migrate();
        Jdbi jdbi = user == null ? Jdbi.create(url) : Jdbi.create(url, user, password);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO provider(name, kind, host, created_at) VALUES ('gh', 'github', 'github.com', 0)");
            h.execute("INSERT INTO provider(name, kind, host, created_at) VALUES ('sso', 'oidc', 'sso.test', 0)");
            for (Object[] row : List.of(
                    new Object[] {"ls_a", "gh", "pending", 1_000L},
                    new Object[] {"ls_b", "gh", "awaiting_user", 2_000L},
                    new Object[] {"ls_c", "gh", "pending", 3_000L},
                    new Object[] {"ls_d", "gh", "denied", 4_000L},
                    new Object[] {"ls_e", "sso", "pending", 1_000L})) {
                h.execute("""
                        INSERT INTO login_session(id, provider, status, user_code, verification_uri, expires_at,
                            interval_ms, created_at, updated_at)
                        VALUES (?, ?, ?, 'ABCD-EFGH', 'https://example.com/device', 9999999999999, 5000, ?, ?)""", row[0], row[1], row[2], row[3], row[3]);
            }
        });

        Flyway.configure()
                .dataSource(url, user, password)
                .locations(locations)
                .load()
                .migrate();

        Map<String, String> status = jdbi.withHandle(h -> h
                .createQuery("SELECT id, status FROM login_session")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(status)
                .containsEntry("ls_c", "pending")
                .containsEntry("ls_a", "expired")
                .containsEntry("ls_b", "expired")
                .containsEntry("ls_d", "denied")
                .containsEntry("ls_e", "pending");
        String reason = jdbi.withHandle(h -> h.createQuery("SELECT reason FROM login_session WHERE id = 'ls_a'")
                .mapTo(String.class)
                .one());
        assertThat(reason).contains("superseded");
        if (password != null) TestPostgres.drop(url);
    }
}
