package io.authrelay.server.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Whether a database's {@code flyway_schema_history} records exactly the migrations this build ships: every script
 * applied once, successfully, with the same version, description and checksum, and nothing else. Then Flyway would
 * validate and apply nothing, and the daemon skips it: starting Flyway loads some 450 classes (about a tenth of
 * start-up). Anything else (no history yet, a pending, failed, newer or edited migration, a baseline, a script this
 * class cannot read) answers false, and Flyway decides exactly as it did before.
 */
final class AppliedMigrations {
    /** Flyway's default naming: {@code V<version>__<description>.sql}, version parts separated by {@code _} or {@code .}. */
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__([A-Za-z0-9_]+)\\.sql");

    /** One applied migration as Flyway records it. */
    record Migration(String version, String description, String script, int checksum) {}

    private AppliedMigrations() {}

    /** True only when the history matches {@code location}'s scripts (e.g. {@code db/sqlite}) exactly. */
    static boolean current(DataSource dataSource, String location) {
        Set<Migration> shipped;
        try {
            shipped = shipped(location);
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            return false;
        }
        if (shipped.isEmpty()) return false;
        try (Connection connection = dataSource.getConnection()) {
            Set<Migration> recorded = recorded(connection);
            return recorded != null && recorded.equals(shipped);
        } catch (SQLException e) {
            return false; // no history table yet (a new database), or one this build cannot read: Flyway's call
        }
    }

    /** The rows of the history, or null when any of them is something other than a successful versioned script. */
    private static Set<Migration> recorded(Connection connection) throws SQLException {
        Set<Migration> rows = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT version, description, script, checksum, type, success FROM flyway_schema_history")) {
            while (rs.next()) {
                String version = rs.getString(1);
                int checksum = rs.getInt(4);
                boolean checksumMissing = rs.wasNull();
                // BASELINE, SCHEMA, DELETE, repeatable or failed rows: leave them to Flyway.
                if (version == null || checksumMissing || !"SQL".equals(rs.getString(5)) || !rs.getBoolean(6))
                    return null;
                if (!rows.add(new Migration(version, rs.getString(2), rs.getString(3), checksum))) return null;
            }
        }
        return rows;
    }

    /** The versioned scripts under {@code location} on the class path, as Flyway would record them once applied. */
    static Set<Migration> shipped(String location) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        for (URL url : Collections.list(AppliedMigrations.class.getClassLoader().getResources(location)))
            names.addAll(namesIn(url, location));
        Set<Migration> migrations = new HashSet<>();
        for (String name : names) {
            Matcher m = VERSIONED.matcher(name);
            // Another kind of file (a repeatable R__ script, a callback): Flyway knows what to do with it, not this
            // class.
            if (!m.matches()) throw new IOException("not a plain versioned migration: " + name);
            var migration = new Migration(
                    m.group(1).replace('_', '.'), m.group(2).replace('_', ' '), name, checksum(location + "/" + name));
            if (!migrations.add(migration)) throw new IOException("migration found twice: " + name);
        }
        return migrations;
    }

    /** File names directly under the location, from a directory (tests, an IDE) or a jar (the distribution). */
    private static List<String> namesIn(URL url, String location) throws IOException, URISyntaxException {
        switch (url.getProtocol()) {
            case "file" -> {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    return files.map(p -> p.getFileName().toString()).toList();
                }
            }
            case "jar" -> {
                var connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = location + "/";
                    return jar.stream()
                            .map(e -> e.getName())
                            .filter(n -> n.startsWith(prefix) && n.length() > prefix.length())
                            .map(n -> n.substring(prefix.length()))
                            .filter(n -> !n.endsWith("/"))
                            .toList();
                }
            }
            default -> throw new IOException("cannot list migrations at " + url);
        }
    }

    /**
     * Flyway's checksum of a script: CRC32 over each line's UTF-8 bytes without its line break, a byte order mark at
     * the start dropped. AppliedMigrationsTest compares it with the checksums Flyway itself records.
     */
    static int checksum(String resource) throws IOException {
        InputStream in = AppliedMigrations.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IOException("missing " + resource);
        CRC32 crc = new CRC32();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096)) {
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) line = line.substring(1);
            for (; line != null; line = reader.readLine()) crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }
}
