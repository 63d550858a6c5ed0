package io.authrelay.server.migrate;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The source must be at exactly this build's latest migration: the copy maps its tables one to one onto a target
 * migrated by this build, and the source is never migrated itself (it stays as it was, the way back).
 */
final class SourceSchema {
    private SourceSchema() {}

    static void requireLatest(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        MigrationInfoService info;
        try {
            // info() only reads flyway_schema_history; on a read-only connection nothing else could happen anyway.
            info = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/sqlite")
                    .load()
                    .info();
        } catch (RuntimeException e) {
            throw new CopyRefusal("cannot read the schema version of " + file + ": " + e.getMessage(), e);
        }
        MigrationInfo current = info.current();
        if (current == null) {
            throw new CopyRefusal(file + " is not an authrelay database (no schema history)");
        }
        for (MigrationInfo migration : info.all()) {
            if (!migration.getState().isResolved()) {
                throw new CopyRefusal(file + " is at schema version " + current.getVersion()
                        + ", which this build does not know: migrate with the authrelay version that wrote it");
            }
            // Pending, or skipped below the current version (a gap in the history): either way not this build's
            // schema, table for table.
            if (migration.getState().isFailed()) {
                throw new CopyRefusal(file + ": migration " + migration.getVersion()
                        + " failed on it; start this version's daemon on it once to finish it");
            }
            if (!migration.getState().isApplied()) {
                throw new CopyRefusal(file + " is at schema version " + current.getVersion() + ", without "
                        + migration.getVersion()
                        + " of this build: upgrade it first (start this version's daemon on it once, then stop it)");
            }
        }
    }
}
