package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Pruning finished logins against real SQLite and PostgreSQL databases, with a fixed clock instead of waiting. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class LoginHistoryPrunerTest {
    @Parameter
    TestDatabase database;

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration RETENTION = Duration.ofDays(90);

    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = database.open(dir);
        for (String provider : List.of("github", "sso", "okta")) {
            db.with(h -> h.execute(
                    "INSERT INTO provider (name, kind, host, created_at) VALUES (?, 'github', 'github.com', 0)",
                    provider));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void session(String id, String provider, String status, Duration age) {
        long at = NOW.minus(age).toEpochMilli();
        db.with(h -> h.execute("""
                INSERT INTO login_session (id, provider, status, user_code, verification_uri, expires_at, interval_ms,
                                           created_at, updated_at)
                VALUES (?, ?, ?, 'ABCD-EFGH', 'https://example.com/device', ?, 5000, ?, ?)""", id, provider, status, at + 900_000, at, at));
        db.with(h -> h.execute(
                "INSERT INTO login_event (session_id, provider, at, last_at, kind) VALUES (?, ?, ?, ?, 'started')",
                id,
                provider,
                at,
                at));
    }

    private List<String> sessions() {
        return db.with(h -> h.createQuery("SELECT id FROM login_session ORDER BY id")
                .mapTo(String.class)
                .list());
    }

    private List<String> eventSessions() {
        return db.with(h -> h.createQuery("SELECT session_id FROM login_event ORDER BY session_id")
                .mapTo(String.class)
                .list());
    }

    @Test
    void deletesFinishedLoginsPastTheRetentionWithTheirTimelinesInBatches() {
        for (int i = 0; i < 25; i++) session("old-" + (100 + i), "github", "failed", Duration.ofDays(200 - i));
        session("recent", "github", "connected", Duration.ofDays(10));

        int deleted = new LoginHistoryPruner(db, RETENTION, CLOCK, 10).prune();

        assertThat(deleted).isEqualTo(25);
        assertThat(sessions()).containsExactly("recent");
        assertThat(eventSessions()).containsExactly("recent");
        assertThat(new LoginHistoryPruner(db, RETENTION, CLOCK, 10).prune()).isZero();
    }

    @Test
    void keepsEachProvidersLatestLoginHoweverOldAndEveryPendingOne() {
        session("github-older", "github", "denied", Duration.ofDays(400));
        session("github-latest", "github", "expired", Duration.ofDays(300));
        session("sso-pending", "sso", "pending", Duration.ofDays(365));
        session("okta-awaiting", "okta", "awaiting_user", Duration.ofDays(364));

        assertThat(new LoginHistoryPruner(db, RETENTION, CLOCK, 10).prune()).isEqualTo(1);

        assertThat(sessions()).containsExactly("github-latest", "okta-awaiting", "sso-pending");
        assertThat(eventSessions()).containsExactly("github-latest", "okta-awaiting", "sso-pending");
    }

    @Test
    void refreshEventsWithoutASessionAgeOutOnTheirOwn() {
        long old = NOW.minus(Duration.ofDays(100)).toEpochMilli();
        long fresh = NOW.minus(Duration.ofDays(1)).toEpochMilli();
        for (long at : new long[] {old, fresh}) {
            db.with(h -> h.execute(
                    "INSERT INTO login_event (provider, at, last_at, kind) VALUES ('github', ?, ?, 'refreshed')",
                    at,
                    at));
        }

        new LoginHistoryPruner(db, RETENTION, CLOCK, 10).prune();

        List<Long> left = db.with(h -> h.createQuery("SELECT last_at FROM login_event")
                .mapTo(Long.class)
                .list());
        assertThat(left).containsExactly(fresh);
    }

    @Test
    void aRetentionOfZeroKeepsEverything() {
        session("ancient", "github", "failed", Duration.ofDays(3650));
        session("latest", "github", "failed", Duration.ofDays(3000));
        assertThat(new LoginHistoryPruner(db, Duration.ZERO, CLOCK, 10).prune()).isZero();
        assertThat(sessions()).hasSize(2);
    }
}
