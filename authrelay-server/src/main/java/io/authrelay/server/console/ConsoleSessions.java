package io.authrelay.server.console;

import io.authrelay.core.token.Tokens;
import io.authrelay.server.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's sign-ins. A session is two secrets: the HttpOnly cookie (which a script cannot read) and the tab secret
 * (which the page keeps in sessionStorage and sends in a header, and which a page on another localhost port, which
 * receives the cookie too, never sees). Sessions live in the database ({@code console_session}, SHA-256 hashes only),
 * so every replica behind a load balancer honours them and a restart signs nobody out. One-time links live in this
 * daemon's memory: a link works only at the daemon (replica) that printed it. Both are bounded so that sign-ins cannot
 * grow without limit; the oldest makes room.
 */
public final class ConsoleSessions {
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration LINK_LIFETIME = Duration.ofMinutes(5);
    /** A session's use is written at most this often: a console request is not a database write each time. */
    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);

    private static final int MAX_SESSIONS = 256;
    private static final int MAX_LINKS = 64;

    /** What a browser receives at sign-in; never stored. */
    public record Opened(String cookie, String tabSecret) {}

    private record Stored(String tabHash, long lastUsed) {}

    private final Database db;
    private final Clock clock;
    private final Map<String, Instant> links = new LinkedHashMap<>();

    public ConsoleSessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A new one-time link secret, valid for {@link #LINK_LIFETIME}. */
    public synchronized String issueLink() {
        forgetExpiredLinks();
        String secret = Tokens.generate("arl_");
        Iterator<String> oldest = links.keySet().iterator();
        while (links.size() >= MAX_LINKS && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        links.put(Tokens.hash(secret), clock.instant().plus(LINK_LIFETIME));
        return secret;
    }

    /** Spends a link: true once, for a link this daemon issued less than five minutes ago. */
    public synchronized boolean redeemLink(String secret) {
        forgetExpiredLinks();
        return secret != null && links.remove(Tokens.hash(secret)) != null;
    }

    public Opened open() {
        String cookie = Tokens.generate("arc_");
        String tabSecret = Tokens.generate("arb_");
        long now = clock.millis();
        db.inTransaction(() -> db.with(h -> {
            h.createUpdate("DELETE FROM console_session WHERE last_used <= :idleSince")
                    .bind("idleSince", now - IDLE_TIMEOUT.toMillis())
                    .execute();
            // The oldest beyond the bound make room (a flood of sign-ins cannot fill the table).
            h.createUpdate("DELETE FROM console_session WHERE last_used <= (SELECT last_used FROM console_session"
                            + " ORDER BY last_used DESC LIMIT 1 OFFSET :keep)")
                    .bind("keep", MAX_SESSIONS - 1)
                    .execute();
            return h.createUpdate(
                            "INSERT INTO console_session(cookie_hash, tab_hash, last_used) VALUES (:cookie, :tab, :now)")
                    .bind("cookie", Tokens.hash(cookie))
                    .bind("tab", Tokens.hash(tabSecret))
                    .bind("now", now)
                    .execute();
        }));
        return new Opened(cookie, tabSecret);
    }

    /** Whether both secrets belong to one live session; a match counts as use, which keeps it from idling out. */
    public boolean use(String cookie, String tabSecret) {
        if (cookie == null || tabSecret == null) return false;
        String key = Tokens.hash(cookie);
        long now = clock.millis();
        Stored stored = db.with(h -> h.createQuery(
                                "SELECT tab_hash, last_used FROM console_session WHERE cookie_hash = :cookie")
                        .bind("cookie", key)
                        .map((rs, ctx) -> new Stored(rs.getString(1), rs.getLong(2)))
                        .findOne())
                .orElse(null);
        if (stored == null || stored.lastUsed() <= now - IDLE_TIMEOUT.toMillis()) return false;
        if (!Tokens.matches(tabSecret, stored.tabHash())) return false;
        if (now - stored.lastUsed() >= USE_RECORDED_EVERY.toMillis()) {
            db.with(h -> h.createUpdate("UPDATE console_session SET last_used = :now WHERE cookie_hash = :cookie")
                    .bind("now", now)
                    .bind("cookie", key)
                    .execute());
        }
        return true;
    }

    public void close(String cookie) {
        if (cookie == null) return;
        db.with(h -> h.createUpdate("DELETE FROM console_session WHERE cookie_hash = :cookie")
                .bind("cookie", Tokens.hash(cookie))
                .execute());
    }

    private void forgetExpiredLinks() {
        Instant now = clock.instant();
        links.values().removeIf(expiry -> !expiry.isAfter(now));
    }
}
