package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestDatabase;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * db/sqlite and db/postgresql, each migrated to its latest version, describe the same schema: the same tables and
 * columns, with types of the same kind, the same nullability and defaults, primary keys, foreign keys (and what a
 * delete does) and indexes by column list. A migration added to one folder only fails here.
 */
class SchemaParityTest {
    /** db-scheduler's own table: each database gets db-scheduler's DDL for it, so only its shape is compared. */
    private static final String SCHEDULER_TABLE = "scheduled_tasks";

    @RegisterExtension
    static final TestPostgres postgres = new TestPostgres();

    @TempDir
    Path dir;

    record Column(String type, boolean notNull, String defaultValue) {}

    record Table(Map<String, Column> columns, List<String> primaryKey, Set<String> foreignKeys, Set<String> indexes) {}

    @Test
    void bothDatabasesMigrateToTheSameSchema() {
        Map<String, Table> sqlite;
        try (Database db = TestDatabase.SQLITE.open(dir)) {
            sqlite = db.with(SchemaParityTest::sqliteSchema);
        }
        Map<String, Table> postgresql;
        try (Database db = Database.openPostgres(postgres.url(), TestPostgres.PASSWORD)) {
            postgresql = db.with(SchemaParityTest::postgresSchema);
        }
        assertThat(sqlite).containsKeys("provider", "credential", "workspace_grant", "api_token", SCHEDULER_TABLE);
        assertThat(postgresql.keySet()).isEqualTo(sqlite.keySet());
        for (String table : sqlite.keySet()) {
            Table expected = sqlite.get(table);
            Table actual = postgresql.get(table);
            if (table.equals(SCHEDULER_TABLE)) {
                assertThat(actual.columns().keySet())
                        .as(table)
                        .isEqualTo(expected.columns().keySet());
                assertThat(actual.primaryKey()).as(table).isEqualTo(expected.primaryKey());
                assertThat(actual.indexes()).as(table).isEqualTo(expected.indexes());
                continue;
            }
            assertThat(actual).as(table).isEqualTo(expected);
        }
    }

    @Test
    void bothDatabasesRecordTheSameMigrationVersions() {
        List<String> sqlite;
        try (Database db = TestDatabase.SQLITE.open(dir)) {
            sqlite = db.with(SchemaParityTest::versions);
        }
        List<String> postgresql;
        try (Database db = Database.openPostgres(postgres.url(), TestPostgres.PASSWORD)) {
            postgresql = db.with(SchemaParityTest::versions);
        }
        assertThat(postgresql).isEqualTo(sqlite).isNotEmpty();
    }

    private static List<String> versions(Handle h) {
        return h.createQuery("SELECT version || ' ' || description FROM flyway_schema_history"
                        + " WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                .mapTo(String.class)
                .list();
    }

    /** The kind of a declared type: SQLite stores any integer type as a 64-bit integer. */
    static String kind(String declared) {
        String t = declared.toLowerCase(Locale.ROOT).replace("character varying", "varchar");
        if (t.matches("(integer|int|bigint|smallint|int2|int4|int8)")) return "integer";
        if (t.matches("varchar\\(\\d+\\)|text")) return t;
        if (t.equals("blob") || t.equals("bytea")) return "bytes";
        return t;
    }

    private static String normalDefault(String value) {
        if (value == null) return null;
        return value.replaceAll("::[a-z ]+$", "").replaceAll("^'(.*)'$", "$1");
    }

    private static Map<String, Table> sqliteSchema(Handle h) {
        Map<String, Table> schema = new TreeMap<>();
        List<String> tables = h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                        + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'flyway_schema_history'")
                .mapTo(String.class)
                .list();
        for (String table : tables) {
            Map<String, Column> columns = new TreeMap<>();
            TreeMap<Integer, String> pk = new TreeMap<>();
            h.createQuery("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(:t)")
                    .bind("t", table)
                    .map((rs, ctx) -> {
                        String name = rs.getString("name");
                        int pkPosition = rs.getInt("pk");
                        if (pkPosition > 0) pk.put(pkPosition, name);
                        // A primary key column is never null (SQLite would allow it unless declared NOT NULL).
                        columns.put(
                                name,
                                new Column(
                                        kind(rs.getString("type")),
                                        rs.getInt("notnull") == 1 || pkPosition > 0,
                                        normalDefault(rs.getString("dflt_value"))));
                        return name;
                    })
                    .list();
            Set<String> foreignKeys = new TreeSet<>(h.createQuery(
                            "SELECT \"from\" || ' -> ' || \"table\" || '(' || \"to\" || ') on delete ' || lower(on_delete)"
                                    + " FROM pragma_foreign_key_list(:t)")
                    .bind("t", table)
                    .mapTo(String.class)
                    .list());
            Set<String> indexes = new TreeSet<>();
            for (var index : h.createQuery("SELECT name, \"unique\" FROM pragma_index_list(:t) WHERE origin <> 'pk'")
                    .bind("t", table)
                    .mapToMap()
                    .list()) {
                List<String> cols = h.createQuery("SELECT name FROM pragma_index_info(:i) ORDER BY seqno")
                        .bind("i", index.get("name"))
                        .mapTo(String.class)
                        .list();
                indexes.add(indexKey(((Number) index.get("unique")).intValue() == 1, cols));
            }
            schema.put(table, new Table(columns, new ArrayList<>(pk.values()), foreignKeys, indexes));
        }
        return schema;
    }

    private static Map<String, Table> postgresSchema(Handle h) {
        Map<String, Table> schema = new TreeMap<>();
        List<String> tables = h.createQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                        + " AND table_name <> 'flyway_schema_history'")
                .mapTo(String.class)
                .list();
        for (String table : tables) {
            Map<String, Column> columns = new TreeMap<>();
            h.createQuery("""
                            SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
                            FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = :t""")
                    .bind("t", table)
                    .map((rs, ctx) -> {
                        String type = rs.getString("data_type");
                        int length = rs.getInt("character_maximum_length");
                        if (!rs.wasNull()) type = type + "(" + length + ")";
                        return columns.put(
                                rs.getString("column_name"),
                                new Column(
                                        kind(type),
                                        rs.getString("is_nullable").equals("NO"),
                                        normalDefault(rs.getString("column_default"))));
                    })
                    .list();
            List<String> pk =
                    h.createQuery("""
                            SELECT a.attname FROM pg_index i
                            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                            WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary ORDER BY k.n""").bind("t", table).mapTo(String.class).list();
            Set<String> foreignKeys = new TreeSet<>(
                    h.createQuery("""
                            SELECT a.attname || ' -> ' || CAST(c.confrelid AS regclass) || '(' || fa.attname || ') on delete '
                                   || CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null'
                                      WHEN 'd' THEN 'set default' WHEN 'r' THEN 'restrict' ELSE 'no action' END
                            FROM pg_constraint c
                            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
                            WHERE c.contype = 'f' AND c.conrelid = CAST(:t AS regclass)""").bind("t", table).mapTo(String.class).list());
            Set<String> indexes = new TreeSet<>();
            h.createQuery("""
                            SELECT i.indisunique, string_agg(a.attname, ',' ORDER BY k.n) AS cols
                            FROM pg_index i
                            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                            WHERE i.indrelid = CAST(:t AS regclass) AND NOT i.indisprimary
                            GROUP BY i.indexrelid, i.indisunique""")
                    .bind("t", table)
                    .map((rs, ctx) -> indexes.add(
                            indexKey(rs.getBoolean(1), List.of(rs.getString(2).split(",")))))
                    .list();
            schema.put(table, new Table(columns, pk, foreignKeys, indexes));
        }
        return schema;
    }

    private static String indexKey(boolean unique, List<String> columns) {
        return (unique ? "unique " : "") + String.join(",", columns);
    }
}
