package io.authrelay.server.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.authrelay.core.Transactions;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

/**
 * The store: a pooled datasource, migrated by Flyway, used through Jdbi. Repositories call
 * {@link #with}, which joins the transaction open on this thread if there is one, so domain services
 * can make several repository calls atomic without knowing about handles.
 */
public final class Database implements Transactions, AutoCloseable {
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterTransaction = new ThreadLocal<>();
    private final CacheSync caches;
    /** SQLite only: keeps the write-ahead log from growing under sustained writes. */
    private WalCheckpoints walCheckpoints;

    private Database(HikariDataSource dataSource, boolean shared) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.caches = new CacheSync(shared);
    }

    /**
     * Opens (creating 0600 first, so SQLite never creates it world-readable) and migrates a SQLite file. An existing
     * file others can read is refused wherever it is, in the home or named by {@code --db}.
     */
    public static Database openSqlite(Path file) {
        try {
            if (Files.exists(file)) PrivateFiles.requireOwnerOnly(file, "database");
            else PrivateFiles.createIfAbsent(file);
        } catch (IOException e) {
            throw new StartupRefusal("cannot create database " + file + ": " + e.getMessage(), e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit survives power loss too. NORMAL could roll back a saved refresh-token rotation, and a
        // provider that detects reuse would then end the connection; vends' audit rows are committed in batches anyway.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        sqlite.enforceForeignKeys(true);
        // Writers take the lock up front; a deferred transaction that upgrades later can fail with SQLITE_BUSY.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setDataSourceProperties(sqlite.toProperties());
        config.setMaximumPoolSize(4);
        // Connections follow the work too: one kept while idle, the others (each with its page cache) closed after
        // a minute unused.
        config.setMinimumIdle(1);
        config.setIdleTimeout(60_000);
        config.setPoolName("authrelay-sqlite");
        Database database = open(config, "db/sqlite", false);
        database.walCheckpoints = new WalCheckpoints(database, BUSY_TIMEOUT_MILLIS).start();
        return database;
    }

    /**
     * Opens and migrates a PostgreSQL database. The URL carries no password ({@code DatabaseTarget} refuses one); the
     * password, if any, comes apart and the pool keeps it out of what it logs.
     */
    public static Database openPostgres(String url, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (password != null) config.setPassword(password);
        // Work waits on the network, not on one writer's lock as in SQLite: more connections than the SQLite pool.
        config.setMaximumPoolSize(16);
        // Idle, a daemon holds two connections (each a server process), not sixteen.
        config.setMinimumIdle(2);
        config.setIdleTimeout(60_000);
        config.setPoolName("authrelay-postgresql");
        return open(config, "db/postgresql", true);
    }

    private static Database open(HikariConfig config, String migrations, boolean shared) {
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StartupRefusal("cannot open database " + config.getJdbcUrl() + ": " + e.getMessage(), e);
        }
        try {
            // A database already at this build's schema (every start but the first after an upgrade) needs no Flyway.
            if (!AppliedMigrations.current(ds, migrations))
                Flyway.configure()
                        .dataSource(ds)
                        .locations("classpath:" + migrations)
                        .load()
                        .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StartupRefusal("database migration failed: " + e.getMessage(), e);
        }
        return new Database(ds, shared);
    }

    public <T> T with(Function<Handle, T> work) {
        Handle handle = current.get();
        if (handle != null) return work.apply(handle);
        return jdbi.withHandle(work::apply);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) return work.get();
        List<Runnable> hooks = new ArrayList<>();
        afterTransaction.set(hooks);
        try {
            return jdbi.inTransaction(handle -> {
                current.set(handle);
                try {
                    return work.get();
                } finally {
                    current.remove();
                }
            });
        } finally {
            afterTransaction.remove();
            hooks.forEach(Runnable::run);
        }
    }

    /** True while this thread is inside {@link #inTransaction}: reads may see uncommitted rows. */
    public boolean inTransactionOnThisThread() {
        return current.get() != null;
    }

    /**
     * Runs {@code hook} once the current write is visible to other connections: now outside a transaction,
     * after the transaction ends (commit or rollback) inside one. Read caches invalidate themselves here.
     */
    public void afterWrite(Runnable hook) {
        List<Runnable> hooks = afterTransaction.get();
        if (hooks == null) hook.run();
        else hooks.add(hook);
    }

    /** What keeps this process's read caches in step with other replicas' writes. */
    public CacheSync caches() {
        return caches;
    }

    /** Drops every read cache when another replica revoked something since the last call ({@link CacheSync}). */
    public void checkRevocations() {
        caches.checkRevocations(this);
    }

    /** True when other processes (replicas) may write this database: PostgreSQL. */
    public boolean isShared() {
        return caches.isShared();
    }

    /** For db-scheduler, which manages its own connections and transactions. */
    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isHealthy() {
        try {
            return with(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (walCheckpoints != null) walCheckpoints.close();
        dataSource.close();
    }
}
