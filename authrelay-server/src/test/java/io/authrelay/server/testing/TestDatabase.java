package io.authrelay.server.testing;

import io.authrelay.server.sql.Database;
import java.nio.file.Path;

/**
 * The databases the daemon runs on, for tests that run once on each ({@code @ParameterizedClass
 * @EnumSource(TestDatabase.class)}): SQLite in a file of the test's directory, PostgreSQL in a fresh database of the
 * JVM's {@link TestPostgres} cluster.
 */
public enum TestDatabase {
    SQLITE,
    POSTGRESQL;

    /** A new, migrated, empty database. */
    public Database open(Path dir) {
        return switch (this) {
            case SQLITE -> Database.openSqlite(dir.resolve("authrelay.db"));
            case POSTGRESQL -> Database.openPostgres(TestPostgres.freshDatabase(), TestPostgres.PASSWORD);
        };
    }
}
