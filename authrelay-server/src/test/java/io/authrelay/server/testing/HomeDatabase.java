package io.authrelay.server.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The home's SQLite database as a test reads it beside the daemon (WAL lets both in), with foreign keys enforced as
 * the daemon enforces them: for counting what a change kept or deleted, and for proving the schema refuses orphans.
 */
public final class HomeDatabase {
    private final Jdbi jdbi;

    public HomeDatabase(Path file) {
        this.jdbi = Jdbi.create("jdbc:sqlite:" + file + "?foreign_keys=on&busy_timeout=10000");
    }

    /** The single number {@code sql} selects, with {@code args} bound in order. */
    public long count(String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) query.bind(i, args[i]);
            return query.mapTo(Long.class).one();
        });
    }

    /** Every row of {@code table}, column by column, in rowid order. */
    public List<Map<String, Object>> rows(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + table + " ORDER BY rowid")
                .mapToMap()
                .list());
    }

    public int execute(String sql, Object... args) {
        return jdbi.withHandle(h -> h.execute(sql, args));
    }
}
