package io.authrelay.server.console;

import io.authrelay.core.token.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's sign-ins, in this daemon's memory only: a restart signs every browser out, and a one-time link works
 * only at the daemon that issued it. Only SHA-256 hashes of the secrets are kept. A session is two secrets: the
 * HttpOnly cookie (which a script cannot read) and the tab secret (which the page keeps in sessionStorage and sends in
 * a header, and which a page on another localhost port, which receives the cookie too, never sees). Both sizes are
 * bounded so that sign-ins cannot fill memory; the oldest entry makes room.
 */
public final class ConsoleSessions {
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration LINK_LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_SESSIONS = 256;
    private static final int MAX_LINKS = 64;

    /** What a browser receives at sign-in; never stored. */
    public record Opened(String cookie, String tabSecret) {}

    private record Session(String tabSecretHash, Instant lastUsed) {}

    private final Clock clock;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Instant> links = new LinkedHashMap<>();

    public ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new one-time link secret, valid for {@link #LINK_LIFETIME}. */
    public synchronized String issueLink() {
        forgetExpired();
        String secret = Tokens.generate("arl_");
        makeRoom(links, MAX_LINKS);
        links.put(Tokens.hash(secret), clock.instant().plus(LINK_LIFETIME));
        return secret;
    }

    /** Spends a link: true once, for a link this daemon issued less than five minutes ago. */
    public synchronized boolean redeemLink(String secret) {
        forgetExpired();
        return secret != null && links.remove(Tokens.hash(secret)) != null;
    }

    public synchronized Opened open() {
        forgetExpired();
        String cookie = Tokens.generate("arc_");
        String tabSecret = Tokens.generate("arb_");
        makeRoom(sessions, MAX_SESSIONS);
        sessions.put(Tokens.hash(cookie), new Session(Tokens.hash(tabSecret), clock.instant()));
        return new Opened(cookie, tabSecret);
    }

    /** Whether both secrets belong to one live session; a match counts as use, which keeps it from idling out. */
    public synchronized boolean use(String cookie, String tabSecret) {
        if (cookie == null || tabSecret == null) return false;
        forgetExpired();
        String key = Tokens.hash(cookie);
        Session session = sessions.get(key);
        if (session == null || !Tokens.matches(tabSecret, session.tabSecretHash())) return false;
        sessions.put(key, new Session(session.tabSecretHash(), clock.instant()));
        return true;
    }

    public synchronized void close(String cookie) {
        if (cookie != null) sessions.remove(Tokens.hash(cookie));
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.lastUsed().plus(IDLE_TIMEOUT).isAfter(now));
        links.values().removeIf(expiry -> !expiry.isAfter(now));
    }

    private static void makeRoom(Map<String, ?> map, int max) {
        Iterator<String> oldest = map.keySet().iterator();
        while (map.size() >= max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
