package io.authrelay.server.migrate;

import io.authrelay.server.sql.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The PostgreSQL database a migration fills, migrated by this build's Flyway scripts when opened. */
final class PostgresTarget {
    private final Database database;

    PostgresTarget(Database database) {
        this.database = database;
    }

    Connection connect() throws SQLException {
        return database.dataSource().getConnection();
    }

    Set<String> tables(Connection target) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Statement s = target.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        return tables;
    }

    /** In the caller's transaction, until it ends: no other session reads or writes the tables the copy replaces. */
    void lockCopiedTables(Connection target) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("LOCK TABLE "
                    + String.join(
                            ", ",
                            MigrationTables.COPIED.stream()
                                    .map(TableCopy::quoted)
                                    .toList())
                    + " IN ACCESS EXCLUSIVE MODE");
        }
    }

    /** The operator tables that hold rows, with how many: empty for a target nobody used yet. */
    Map<String, Long> operatorData(Connection target) throws SQLException {
        Map<String, Long> used = new LinkedHashMap<>();
        for (String table : MigrationTables.OPERATOR_DATA) {
            long rows = TableCopy.count(target, table);
            if (rows > 0) used.put(table, rows);
        }
        return used;
    }

    /**
     * In the caller's transaction: empties every copied table (children first), then copies the source's rows
     * (parents first), and moves each identity sequence past the copied ids so the next insert does not collide.
     */
    Map<String, Long> replaceWith(Connection source, Connection target) throws SQLException {
        try (Statement s = target.createStatement()) {
            for (String table : MigrationTables.COPIED.reversed())
                s.executeUpdate("DELETE FROM " + TableCopy.quoted(table));
        }
        Map<String, Long> copied = new LinkedHashMap<>();
        for (String table : MigrationTables.COPIED) copied.put(table, TableCopy.copy(source, target, table));
        advanceIdentities(target);
        return copied;
    }

    private static void advanceIdentities(Connection target) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement s = target.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rs.next()) identities.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        try (Statement s = target.createStatement()) {
            for (String[] identity : identities) {
                String table = TableCopy.quoted(identity[0]);
                String column = TableCopy.quoted(identity[1]);
                s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + identity[1] + "'),"
                        + " COALESCE((SELECT MAX(" + column + ") FROM " + table + "), 0) + 1, false)");
            }
        }
    }
}
