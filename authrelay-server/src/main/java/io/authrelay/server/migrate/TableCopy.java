package io.authrelay.server.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Copies one table's rows from SQLite to PostgreSQL, column by column as the target declares them. */
final class TableCopy {
    private static final int BATCH = 500;

    private TableCopy() {}

    /** Inserts every source row of {@code table} into the target; returns how many. */
    static long copy(Connection source, Connection target, String table) throws SQLException {
        List<ColumnCopy> columns = targetColumns(target, table);
        requireSameColumns(source, table, columns);
        String names = columns.stream().map(c -> quoted(c.name())).collect(Collectors.joining(", "));
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        long rows = 0;
        try (Statement select = source.createStatement();
                ResultSet rs = select.executeQuery("SELECT " + names + " FROM " + quoted(table));
                PreparedStatement insert = target.prepareStatement(
                        "INSERT INTO " + quoted(table) + " (" + names + ") VALUES (" + marks + ")")) {
            while (rs.next()) {
                for (int i = 0; i < columns.size(); i++) columns.get(i).copy(rs, i + 1, insert, i + 1);
                insert.addBatch();
                if (++rows % BATCH == 0) insert.executeBatch();
            }
            insert.executeBatch();
        }
        return rows;
    }

    static long count(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + quoted(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<ColumnCopy> targetColumns(Connection target, String table) throws SQLException {
        List<ColumnCopy> columns = new ArrayList<>();
        try (Statement s = target.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + quoted(table) + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(new ColumnCopy(
                        table,
                        meta.getColumnName(i).toLowerCase(Locale.ROOT),
                        meta.getColumnType(i),
                        meta.getColumnTypeName(i)));
            }
        }
        return columns;
    }

    /** The schemas are kept equal (SchemaParityTest); a difference here means a source this build did not migrate. */
    private static void requireSameColumns(Connection source, String table, List<ColumnCopy> columns)
            throws SQLException {
        Set<String> sourceColumns = new TreeSet<>();
        try (Statement s = source.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + quoted(table) + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++)
                sourceColumns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
        }
        Set<String> targetColumns =
                columns.stream().map(ColumnCopy::name).collect(Collectors.toCollection(TreeSet::new));
        if (!sourceColumns.equals(targetColumns)) {
            throw new CopyRefusal("table " + table + " has columns " + sourceColumns + " in the source but "
                    + targetColumns + " in the target");
        }
    }

    /** Table and column names come from the schemas and {@link MigrationTables}, never from the user. */
    static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
