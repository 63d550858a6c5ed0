package io.authrelay.server.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs for other replicas' cache notifications on a connection of its own and drops the named caches. When the
 * connection breaks it tells {@link CacheSync} (which falls back to the short TTL, logs it and counts it for
 * /metrics) and connects again, backing off up to {@link #MAX_BACKOFF}.
 */
public final class CacheNotifications implements AutoCloseable {
    private static final int WAIT_MILLIS = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final DataSource dataSource;
    private final CacheSync sync;
    private final Thread thread;
    private volatile boolean closed;

    private CacheNotifications(DataSource dataSource, CacheSync sync) {
        this.dataSource = dataSource;
        this.sync = sync;
        this.thread = Thread.ofPlatform()
                .daemon()
                .name("authrelay-cache-notifications")
                .unstarted(this::run);
    }

    /** Starts listening when the database is shared; null on SQLite, where no other process writes. */
    public static CacheNotifications start(Database database) {
        if (!database.caches().isShared()) return null;
        CacheNotifications listener = new CacheNotifications(database.dataSource(), database.caches());
        listener.thread.start();
        return listener;
    }

    private void run() {
        long backoffMillis = 250;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement listen = c.createStatement()) {
                    listen.execute("LISTEN " + CacheSync.CHANNEL);
                }
                sync.listening();
                backoffMillis = 250;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications == null) continue;
                    for (PGNotification n : notifications) sync.dropped(n.getParameter());
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                sync.notListening(e.getClass().getSimpleName() + ": " + e.getMessage());
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
