package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.PrivateFiles;
import io.authrelay.server.testing.TestDatabase;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The daemon skips Flyway only when the history records exactly the shipped migrations; every other history (pending,
 * newer, edited, failed, missing rows, a first migration cut short) still goes through Flyway, which migrates or
 * refuses as it always did.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AppliedMigrationsTest {
    @Parameter
    TestDatabase kind;

    @TempDir
    Path dir;

    private String url;
    private String location;

    @BeforeEach
    void freshDatabase() throws Exception {
        if (kind == TestDatabase.SQLITE) {
            Path file = dir.resolve("authrelay.db");
            PrivateFiles.createIfAbsent(file);
            url = "jdbc:sqlite:" + file;
            location = "db/sqlite";
        } else {
            url = TestPostgres.freshDatabase();
            location = "db/postgresql";
        }
    }

    private Database open() {
        return kind == TestDatabase.SQLITE
                ? Database.openSqlite(Path.of(url.substring("jdbc:sqlite:".length())))
                : Database.openPostgres(url, TestPostgres.PASSWORD);
    }

    private Jdbi jdbi() {
        return kind == TestDatabase.SQLITE
                ? Jdbi.create(url)
                : Jdbi.create(url, TestPostgres.USER, TestPostgres.PASSWORD);
    }

    private void flywayTo(String target) {
        String user = kind == TestDatabase.SQLITE ? null : TestPostgres.USER;
        String password = kind == TestDatabase.SQLITE ? null : TestPostgres.PASSWORD;
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:" + location)
                .target(target)
                .load()
                .migrate();
    }

    private boolean current() {
        return AppliedMigrations.current(rawDataSource(), location);
    }

    private Set<AppliedMigrations.Migration> history() {
        return new HashSet<>(jdbi().withHandle(
                        h -> h.createQuery("SELECT version, description, script, checksum FROM flyway_schema_history")
                                .map((rs, ctx) -> new AppliedMigrations.Migration(
                                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
                                .list()));
    }

    @Test
    void whatFlywayRecordsIsExactlyWhatTheBuildShipsSoTheNextStartSkipsIt() throws Exception {
        open().close();

        assertThat(history()).isEqualTo(AppliedMigrations.shipped(location)).hasSizeGreaterThanOrEqualTo(8);
        assertThat(current()).isTrue();
    }

    @Test
    void aNewDatabaseIsNotCurrent() {
        // No history table yet: the check answers false instead of failing, and Flyway creates the schema.
        assertThat(current()).isFalse();
    }

    @Test
    void aPendingMigrationIsAppliedNotSkipped() {
        flywayTo("7");
        assertThat(current()).isFalse();

        open().close();

        assertThat(history()).extracting(AppliedMigrations.Migration::version).contains("8");
        assertThat(current()).isTrue();
    }

    @Test
    void aFirstMigrationCutShortIsFinished() throws Exception {
        // A crash after some scripts were committed: the history holds V1 to V3 only.
        flywayTo("3");
        assertThat(current()).isFalse();

        open().close();

        assertThat(history()).isEqualTo(AppliedMigrations.shipped(location));
    }

    @Test
    void anEditedChecksumIsStillRefusedByFlyway() {
        open().close();
        jdbi().useHandle(
                        h -> h.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '5'"));

        assertThatThrownBy(this::open)
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("database migration failed")
                .hasMessageContaining("checksum");
    }

    @Test
    void anEditedDescriptionIsStillRefusedByFlyway() {
        open().close();
        jdbi().useHandle(
                        h -> h.execute("UPDATE flyway_schema_history SET description = 'renamed' WHERE version = '2'"));

        assertThatThrownBy(this::open).isInstanceOf(StartupRefusal.class).hasMessageContaining("description");
    }

    @Test
    void aFailedMigrationIsStillRefusedByFlyway() {
        open().close();
        jdbi().useHandle(h -> h.execute("UPDATE flyway_schema_history SET success = false WHERE version = '8'"));

        assertThatThrownBy(this::open).isInstanceOf(StartupRefusal.class).hasMessageContaining("failed migration");
    }

    @Test
    void aRowRemovedFromTheHistoryMakesFlywayRunTheScriptAgainAndFail() {
        // The V8 tables exist, but the history says V8 is pending: the fast path must not call this current.
        open().close();
        jdbi().useHandle(h -> h.execute("DELETE FROM flyway_schema_history WHERE version = '8'"));

        assertThatThrownBy(this::open)
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("database migration failed");
    }

    @Test
    void aSchemaNewerThanTheCodeIsLeftToFlyway() {
        open().close();
        Set<AppliedMigrations.Migration> before = history();
        jdbi().useHandle(h -> h.execute("""
                INSERT INTO flyway_schema_history
                    (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, 'someone', 1, true)"""));

        assertThat(current()).isFalse();
        // Flyway's own answer, as before this change: a future migration is ignored and the daemon opens.
        open().close();
        assertThat(history()).hasSize(before.size() + 1);
    }

    @Test
    void aBaselineRowIsLeftToFlyway() {
        open().close();
        jdbi().useHandle(h -> h.execute("UPDATE flyway_schema_history SET type = 'BASELINE' WHERE version = '1'"));

        assertThat(current()).isFalse();
    }

    @Test
    void checksumsMatchFlywaysForEveryShippedScript() throws Exception {
        flywayTo("latest");

        assertThat(AppliedMigrations.shipped(location)).isEqualTo(history());
    }

    /** The database without Flyway in between: what the check sees before the daemon opens it. */
    private DataSource rawDataSource() {
        if (kind == TestDatabase.SQLITE) {
            var ds = new SQLiteDataSource();
            ds.setUrl(url);
            return ds;
        }
        var ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setPassword(TestPostgres.PASSWORD);
        return ds;
    }
}
