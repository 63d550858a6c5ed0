package io.authrelay.server;

import io.authrelay.server.home.SecretFile;
import io.authrelay.server.sql.Database;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The database the daemon opens: the one {@code --db} names, else {@code AUTHRELAY_DB_URL}, else SQLite in the home.
 * A PostgreSQL password comes only from the file {@code AUTHRELAY_DB_PASSWORD_FILE} names (owner-only, like every
 * secret file): never from argv, where {@code ps} shows it, and never inside the URL, which error messages may quote.
 */
public sealed interface DatabaseTarget {
    String URL_ENV = "AUTHRELAY_DB_URL";
    String PASSWORD_FILE_ENV = "AUTHRELAY_DB_PASSWORD_FILE";
    String SQLITE = "jdbc:sqlite:";
    String POSTGRESQL = "jdbc:postgresql:";

    /** What {@code /v1/status} shows: {@code sqlite} or {@code postgresql}. */
    String kind();

    Database open();

    /** True when other daemons may share this database (PostgreSQL): each then holds its own copy of the keyset. */
    default boolean shared() {
        return this instanceof Postgres;
    }

    record Sqlite(Path file) implements DatabaseTarget {
        @Override
        public String kind() {
            return "sqlite";
        }

        @Override
        public Database open() {
            return Database.openSqlite(file);
        }
    }

    /** {@code password} null: the URL's user needs none (trust, peer or certificate authentication). */
    record Postgres(String url, String password) implements DatabaseTarget {
        @Override
        public String kind() {
            return "postgresql";
        }

        @Override
        public Database open() {
            return Database.openPostgres(url, password);
        }

        @Override
        public String toString() {
            return "Postgres[" + url + "]";
        }
    }

    static DatabaseTarget resolve(String dbOption, Map<String, String> env, Path homeDatabase) {
        String url = dbOption != null ? dbOption : blankToNull(env.get(URL_ENV));
        if (url == null) return new Sqlite(homeDatabase);
        if (url.startsWith(SQLITE)) return new Sqlite(Path.of(url.substring(SQLITE.length())));
        if (url.startsWith(POSTGRESQL)) {
            requireNoPasswordIn(url);
            requireVerifiedTlsOffLoopback(PostgresUrl.parse(url));
            return new Postgres(url, password(env));
        }
        int scheme = url.indexOf(':', url.indexOf(':') + 1);
        String shown = url.startsWith("jdbc:") && scheme > 0 ? url.substring(0, scheme + 1) + "…" : "something else";
        throw new StartupRefusal(
                "the database URL must be jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DB?user=USER; got " + shown);
    }

    /** A password in the URL would reach argv, the environment of every child and error messages: refused. */
    private static void requireNoPasswordIn(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        int authority = lower.indexOf("//");
        int path = authority < 0 ? -1 : lower.indexOf('/', authority + 2);
        String hosts = authority < 0 ? "" : lower.substring(authority + 2, path < 0 ? lower.length() : path);
        if (lower.contains("password=") || hosts.contains("@")) {
            throw new StartupRefusal("the database URL must not carry a password: put it in a file (chmod 600) and"
                    + " name that file in " + PASSWORD_FILE_ENV);
        }
    }

    /**
     * The password (or the database's own contents) goes only to a server that proved its name: off this machine the URL
     * must ask the driver for {@code sslmode=verify-full}, and must not swap in a factory or a hostname verifier of its
     * own, which could skip the check.
     */
    private static void requireVerifiedTlsOffLoopback(PostgresUrl url) {
        if (url.loopbackOnly()) return;
        for (String name : url.parameters().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("sslfactory") || lower.equals("sslhostnameverifier")) {
                throw new StartupRefusal("the database URL must not set " + name
                        + ": a database off this machine is reached with the driver's own certificate checks");
            }
        }
        if (!"verify-full".equals(url.parameters().get("sslmode"))) {
            throw new StartupRefusal("a database off this machine (" + String.join(", ", url.hosts())
                    + ") needs TLS that checks its certificate: add sslmode=verify-full (and sslrootcert=CA_FILE for a"
                    + " private CA) to the URL");
        }
    }

    private static String password(Map<String, String> env) {
        String file = blankToNull(env.get(PASSWORD_FILE_ENV));
        // Whatever the driver or the pool might quote in an error, the log never shows it (SecretFile registers it).
        return file == null ? null : SecretFile.read(Path.of(file), "database password file");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
