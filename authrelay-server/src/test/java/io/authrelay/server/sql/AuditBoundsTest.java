package io.authrelay.server.sql;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Whatever a request carries, an audit or timeline row costs at most its columns' lengths. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AuditBoundsTest {
    @RegisterExtension
    final TestBroker d;

    AuditBoundsTest(TestDatabase database) {
        d = TestBroker.inProcess().on(database);
    }

    private Database database() {
        return d.openDatabase();
    }

    /** The longest value stored in each of {@code columns} of {@code table}. */
    private static Map<String, Integer> longest(Database db, String table, String... columns) {
        Map<String, Integer> longest = new java.util.LinkedHashMap<>();
        for (String column : columns) {
            longest.put(
                    column,
                    db.with(h -> h.createQuery("SELECT MAX(LENGTH(" + column + ")) FROM " + table)
                            .mapTo(Integer.class)
                            .one()));
        }
        return longest;
    }

    @Test
    void aVendCarryingA60KbHostStoresAnAuditRowOfAFewHundredBytes() {
        d.addStaticProvider("gh", "git.example.test", "vend-secret-value");
        String token = expect(201, d.send("POST", "/v1/workspaces", "{\"name\":\"wsa\",\"grants\":[\"gh\"]}"))
                .json()
                .path("token")
                .asString();
        String host = "h".repeat(60_000);
        int status = d.send("POST", "/v1/vend", "{\"protocol\":\"https\",\"host\":\"" + host + "\"}", token)
                .status();
        assertThat(status).isBetween(400, 499);

        try (Database db = database()) {
            Map<String, Integer> longest =
                    longest(db, "audit_event", "actor", "action", "target", "result", "origin", "detail");
            assertThat(longest.get("target")).isLessThanOrEqualTo(256);
            assertThat(longest.get("detail")).isLessThanOrEqualTo(1024);
            assertThat(longest.get("actor")).isLessThanOrEqualTo(128);
            assertThat(longest.get("origin")).isLessThanOrEqualTo(128);
            assertThat(longest.get("action")).isLessThanOrEqualTo(64);
            int vendRow = db.with(h -> h.createQuery("""
                            SELECT LENGTH(actor) + LENGTH(action) + LENGTH(target) + LENGTH(result) + LENGTH(origin)
                                   + LENGTH(detail)
                            FROM audit_event WHERE action = 'vend'""").mapTo(Integer.class).one());
            assertThat(vendRow).isLessThan(2_000);
        }
    }

    @Test
    void aSecretIsRedactedBeforeTheCutSoNoPartOfItIsStored() {
        String secret = "Secret-" + UUID.randomUUID();
        SecretRedactor.register(secret);
        try (Database db = database()) {
            new SqlAuditLog(db)
                    .append(
                            Instant.now(),
                            new Actor("a".repeat(500), "o".repeat(500)),
                            "x".repeat(100),
                            "t".repeat(500),
                            AuditLog.FAILED,
                            "d".repeat(1015) + secret);
            Map<String, Integer> longest = longest(db, "audit_event", "actor", "action", "target", "origin", "detail");
            assertThat(longest)
                    .containsEntry("actor", 128)
                    .containsEntry("action", 64)
                    .containsEntry("target", 256)
                    .containsEntry("origin", 128)
                    .containsEntry("detail", 1024);
            String detail = db.with(h -> h.createQuery("SELECT detail FROM audit_event WHERE action LIKE 'xxx%'")
                    .mapTo(String.class)
                    .one());
            assertThat(detail).doesNotContain(secret.substring(0, 8)).endsWith("…");
        }
    }

    @Test
    void timelineEventsAreCutToTheirColumnsAndStillFold() {
        expect(
                201,
                d.send("POST", "/v1/providers", "{\"name\":\"gh\",\"type\":\"static\",\"host\":\"git.example.test\"}"));
        try (Database db = database()) {
            SqlTimeline timeline = new SqlTimeline(db);
            String code = "c".repeat(5_000);
            for (int i = 0; i < 3; i++)
                timeline.record(null, "gh", Instant.now(), "refresh", 400, code, "\uD83D\uDE00".repeat(10_000));
            Map<String, Integer> longest = longest(db, "login_event", "kind", "code", "detail");
            assertThat(longest).containsEntry("code", 64).containsEntry("kind", 7);
            assertThat(longest.get("detail")).isLessThanOrEqualTo(1024);
            assertThat(timeline.forProvider("gh", 10))
                    .singleElement()
                    .satisfies(e -> assertThat(e.count()).isEqualTo(3));
        }
    }

    @Test
    void aWorkspaceRejectingOverAndOverAddsOneTimelineRowNotOnePerRequest() {
        try (Database db = database()) {
            SqlTimeline timeline = new SqlTimeline(db);
            for (int i = 0; i < 500; i++) {
                timeline.record(
                        null,
                        "gh",
                        Instant.now(),
                        "rejected",
                        null,
                        "host_rejected",
                        "rejected by github.com (" + i + ")");
            }
            assertThat(timeline.forProvider("gh", 10)).singleElement().satisfies(e -> {
                assertThat(e.count()).isEqualTo(500);
                assertThat(e.detail()).endsWith("(499)");
            });
        }
    }
}
