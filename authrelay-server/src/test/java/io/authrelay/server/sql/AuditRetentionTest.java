package io.authrelay.server.sql;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The daemon's prune task, wired: events older than the default retention are gone soon after a start. */
class AuditRetentionTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess().startedByTest();

    @Test
    void eventsPastNinetyDaysArePrunedAtStartAndNewerOnesKept() {
        try (Database db = Database.openSqlite(PrivateDirs.directory(d.home()).resolve("authrelay.db"))) {
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
