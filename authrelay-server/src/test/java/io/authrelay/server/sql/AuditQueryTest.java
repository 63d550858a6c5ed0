package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.audit.AuditQuery;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit filters in SQL on both stores, and the same answers as the in-memory filter every other log uses. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AuditQueryTest {
    @RegisterExtension
    final TestBroker d;

    AuditQueryTest(TestDatabase database) {
        d = TestBroker.inProcess().on(database).startedByTest();
    }

    @Test
    void filtersByWorkspaceProviderActionTimeAndPagesNewestFirst() {
        try (Database db = d.openDatabase()) {
            SqlAuditLog audit = new SqlAuditLog(db);
            Instant now = Instant.now();
            Actor admin = new Actor("admin", "127.0.0.1");
            Actor alpha = new Actor("workspace:alpha", "127.0.0.1");
            audit.append(now.minus(Duration.ofHours(3)), alpha, "vend", "forge", AuditLog.OK, "old");
            audit.append(now.minusSeconds(5), admin, "workspace.create", "alpha", AuditLog.OK, null);
            audit.append(now.minusSeconds(4), alpha, "vend", "forge", AuditLog.OK, null);
            audit.append(now.minusSeconds(3), alpha, "vend.rejected", "github", AuditLog.DENIED, null);
            audit.append(now.minusSeconds(2), new Actor("workspace:beta", "x"), "vend", "forge", AuditLog.OK, null);
            audit.append(now.minusSeconds(1), admin, "vendx", "forge", AuditLog.OK, "not a sub-action of vend");
            audit.append(now, admin, "login_start", "a%b", AuditLog.OK, "LIKE wildcards are literal");
            Instant hourAgo = now.minus(Duration.ofHours(1));

            List<AuditQuery> queries = List.of(
                    new AuditQuery(hourAgo, null, null, "alpha", null, null, 100),
                    new AuditQuery(Instant.EPOCH, null, null, "alpha", null, null, 100),
                    new AuditQuery(hourAgo, null, null, null, "forge", "vend", 100),
                    new AuditQuery(hourAgo, null, null, null, null, "vend", 100),
                    new AuditQuery(hourAgo, null, null, null, null, "login", 100),
                    new AuditQuery(hourAgo, null, null, null, null, "login_start", 100),
                    new AuditQuery(hourAgo, null, null, null, "a_b", null, 100),
                    new AuditQuery(Instant.EPOCH, null, null, null, null, null, 3),
                    new AuditQuery(Instant.EPOCH, hourAgo, null, null, null, null, 100),
                    new AuditQuery(hourAgo, hourAgo.plusSeconds(1_800), null, null, "vend", null, 100));
            for (AuditQuery query : queries) {
                List<AuditEvent> inSql = audit.find(query);
                AuditLog plain = new AuditLog() { // the port's default: read all, filter in memory
                            @Override
                            public void append(
                                    Instant at, Actor a, String action, String target, String result, String x) {}

                            @Override
                            public List<AuditEvent> since(Instant since, int limit) {
                                return audit.since(since, limit);
                            }
                        };
                assertThat(inSql).as(query.toString()).isEqualTo(plain.find(query));
            }
            assertThat(actions(audit.find(queries.get(0))))
                    .containsExactly("vend.rejected", "vend", "workspace.create");
            assertThat(actions(audit.find(queries.get(1)))).hasSize(4);
            assertThat(actions(audit.find(queries.get(2)))).containsExactly("vend", "vend");
            assertThat(actions(audit.find(queries.get(3)))).containsExactly("vend", "vend.rejected", "vend");
            assertThat(actions(audit.find(queries.get(4)))).isEmpty();
            assertThat(actions(audit.find(queries.get(5)))).containsExactly("login_start");
            assertThat(actions(audit.find(queries.get(6)))).isEmpty();
            // until: only the three-hour-old vend is before an hour ago; none of the recent ones is 30 min after it.
            assertThat(actions(audit.find(queries.get(8)))).containsExactly("vend");
            assertThat(audit.find(queries.get(8)).getFirst().detail()).isEqualTo("old");
            assertThat(actions(audit.find(queries.get(9)))).isEmpty();

            List<AuditEvent> firstPage = audit.find(queries.get(7));
            List<AuditEvent> secondPage = audit.find(
                    new AuditQuery(Instant.EPOCH, null, firstPage.getLast().id(), null, null, null, 3));
            assertThat(firstPage.getFirst().action()).isEqualTo("login_start");
            assertThat(secondPage).hasSize(3);
            assertThat(secondPage.getFirst().id())
                    .isLessThan(firstPage.getLast().id());
        }
    }

    private static List<String> actions(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::action).toList();
    }
}
