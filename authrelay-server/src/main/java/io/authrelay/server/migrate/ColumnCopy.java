package io.authrelay.server.migrate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Moves one column's value from a SQLite row to a PostgreSQL insert, converted by the TARGET column's declared type
 * (never by guessing from the value): the two schemas store booleans, times and bytes differently
 * (db-scheduler's {@code picked BIT} vs {@code BOOLEAN}, {@code TIMESTAMP} vs {@code TIMESTAMP WITH TIME ZONE},
 * {@code BLOB} vs {@code BYTEA}), and SQLite's dynamic typing would otherwise let a value decide.
 */
record ColumnCopy(String table, String name, int targetType, String targetTypeName) {
    /** Refuses at once a column type this build has no rule for, before any row is read. */
    ColumnCopy {
        if (kind(targetType) == null) {
            throw new CopyRefusal("column " + table + "." + name + " has type " + targetTypeName
                    + ", which this build cannot convert");
        }
    }

    private enum Kind {
        INTEGER,
        TEXT,
        BOOLEAN,
        TIME,
        BYTES
    }

    private static Kind kind(int sqlType) {
        return switch (sqlType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.INTEGER;
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR -> Kind.TEXT;
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIME;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BYTES;
            default -> null;
        };
    }

    /** Reads column {@code from} of the source row and binds it as parameter {@code to}. */
    void copy(ResultSet source, int from, PreparedStatement insert, int to) throws SQLException {
        switch (kind(targetType)) {
            case INTEGER -> {
                long value = source.getLong(from);
                if (source.wasNull()) insert.setNull(to, targetType);
                else insert.setObject(to, value, targetType);
            }
            case TEXT -> insert.setString(to, source.getString(from));
            case BOOLEAN -> {
                Object value = source.getObject(from);
                if (value == null) insert.setNull(to, Types.BOOLEAN);
                else insert.setBoolean(to, truth(value));
            }
            case TIME -> {
                // sqlite-jdbc reads the value as it wrote it (epoch millis by default), whatever SQLite stored.
                Timestamp value = source.getTimestamp(from);
                if (value == null) insert.setNull(to, targetType);
                else insert.setObject(to, value.toInstant().atOffset(ZoneOffset.UTC));
            }
            case BYTES -> insert.setBytes(to, source.getBytes(from));
        }
    }

    private boolean truth(Object value) {
        if (value instanceof Number n) return n.longValue() != 0;
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default ->
                throw new CopyRefusal("column " + table + "." + name + " holds "
                        + value.getClass().getSimpleName() + " that is not a boolean");
        };
    }
}
