package io.authrelay.server.sql;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The daemon's prune task, wired: events older than the default retention are gone soon after a start. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AuditRetentionTest {
    @RegisterExtension
    final TestBroker d;

    AuditRetentionTest(TestDatabase database) {
        d = TestBroker.inProcess().on(database).startedByTest();
    }

    @Test
    void eventsPastNinetyDaysArePrunedAtStartAndNewerOnesKept() {
        try (Database db = d.openDatabase()) {
            SqlAuditLog audit = new SqlAuditLog(db);
            Instant now = Instant.now();
            audit.append(now.minus(Duration.ofDays(100)), Actor.system(), "old.event", "old", AuditLog.OK, null);
            audit.append(now.minus(Duration.ofDays(80)), Actor.system(), "kept.event", "kept", AuditLog.OK, null);
        }
        d.start();
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> actions;
        do {
            TestBroker.pause(100);
            actions = expect(200, d.send("GET", "/v1/audit", null))
                    .json()
                    .path("events")
                    .valueStream()
                    .map(e -> e.path("action").asString())
                    .toList();
        } while (actions.contains("old.event") && Instant.now().isBefore(deadline));
        assertThat(actions).contains("kept.event").doesNotContain("old.event");
    }
}
