package io.authrelay.server.migrate;

import io.authrelay.server.DatabaseTarget;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.sql.Database;
import io.authrelay.server.vault.TinkVault;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code authrelay migrate}: a stopped single-machine install moved into PostgreSQL. Every check that can refuse runs
 * before the first write (the source's daemon, its schema version, the keyset against a sample of its secrets, the
 * target's data); the copy is one target transaction; then counts and a sample read back from the target are
 * verified. Sealed secrets move as the bytes they are: their associated data names owner kind, id and field, which
 * the copy keeps, so nothing is decrypted on the way and the same keyset opens them in PostgreSQL.
 */
public final class SqliteToPostgres {
    /** {@code keyset} null: {@code AUTHRELAY_KEYSET}, else the keyset beside the SQLite file (its home's). */
    public record Request(Path sqlite, String targetUrl, Path keyset, boolean force) {}

    public record TableCount(String table, long source, long target) {}

    public record Report(String target, List<TableCount> tables, int secretsChecked, Map<String, Long> replaced) {}

    private SqliteToPostgres() {}

    public static Report run(Request request, Map<String, String> env) {
        DatabaseTarget.Postgres destination = postgres(request.targetUrl(), env);
        Path keyset = keysetOf(request, env);
        try (SqliteSource source = SqliteSource.open(request.sqlite())) {
            SourceSchema.requireLatest(source.file());
            MigrationTables.requireExactly(source.tables(), "source " + source.file());
            Connection reading = source.snapshot();
            SealedSample sample = pick(source, reading);
            TinkVault vault = openKeyset(keyset);
            sample.requireOpens(vault, keyset);
            try (Database database = destination.open()) {
                return copy(reading, new PostgresTarget(database), request, sample, vault, destination);
            }
        } catch (StartupRefusal e) {
            throw new CopyRefusal(e.getMessage(), e);
        }
    }

    private static Report copy(
            Connection reading,
            PostgresTarget target,
            Request request,
            SealedSample sample,
            TinkVault vault,
            DatabaseTarget.Postgres destination) {
        try (Connection writing = target.connect()) {
            MigrationTables.requireExactly(target.tables(writing), "target");
            return inOneTransaction(writing, () -> {
                // Locked first, so a daemon already using the target cannot write between the check and the copy.
                target.lockCopiedTables(writing);
                Map<String, Long> used = target.operatorData(writing);
                if (!used.isEmpty() && !request.force()) {
                    throw new CopyRefusal("the target already holds data " + used
                            + ": migrate into an empty database, or pass --force to replace it");
                }
                target.replaceWith(reading, writing);
                List<TableCount> counts = verifyCounts(reading, writing);
                sample.requireCopied(writing, vault);
                return new Report(destination.url(), counts, sample.size(), used);
            });
        } catch (SQLException e) {
            throw new CopyRefusal("migration failed: " + e.getMessage(), e);
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** All of it or nothing: a refusal, a failure or a failed verification rolls the target back to what it held. */
    private static <T> T inOneTransaction(Connection target, SqlWork<T> work) throws SQLException {
        target.setAutoCommit(false);
        try {
            T result = work.run();
            target.commit();
            return result;
        } catch (CopyRefusal e) {
            target.rollback();
            throw e;
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw new CopyRefusal("migration failed, the target is unchanged: " + e.getMessage(), e);
        } finally {
            target.setAutoCommit(true);
        }
    }

    private static List<TableCount> verifyCounts(Connection source, Connection target) throws SQLException {
        List<TableCount> counts = new ArrayList<>();
        for (String table : MigrationTables.COPIED) {
            TableCount count = new TableCount(table, TableCopy.count(source, table), TableCopy.count(target, table));
            if (count.source() != count.target()) {
                throw new CopyRefusal("verification failed: " + table + " has " + count.source()
                        + " rows in the source but " + count.target() + " in the target");
            }
            counts.add(count);
        }
        return counts;
    }

    private static DatabaseTarget.Postgres postgres(String url, Map<String, String> env) {
        DatabaseTarget target;
        try {
            target = DatabaseTarget.resolve(url, env, null);
        } catch (StartupRefusal e) {
            throw new CopyRefusal(e.getMessage(), e);
        }
        if (!(target instanceof DatabaseTarget.Postgres postgres)) {
            throw new CopyRefusal("--to must be a jdbc:postgresql://HOST:PORT/DB?user=USER URL");
        }
        return postgres;
    }

    static Path keysetOf(Request request, Map<String, String> env) {
        if (request.keyset() != null) return request.keyset().toAbsolutePath();
        Path home = request.sqlite().toAbsolutePath().normalize().getParent();
        return DaemonHome.resolve(home, env).keysetFile();
    }

    private static SealedSample pick(SqliteSource source, Connection reading) {
        try {
            return SealedSample.pick(reading);
        } catch (SQLException e) {
            throw source.failure(e);
        }
    }

    /** Never creates a keyset: a source without one has nothing it could open. */
    private static TinkVault openKeyset(Path keyset) {
        return TinkVault.open(keyset, false);
    }
}
