package io.authrelay.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.SettableClock;
import io.authrelay.server.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** Two replicas on one PostgreSQL: a browser signed in at one is signed in at the other, and signs out of both. */
class ConsoleSessionsAcrossReplicasTest {
    private final SettableClock clock = new SettableClock();

    @Test
    void aSessionOpenedOnOneReplicaIsHonouredByAnotherAndEndsForBoth() {
        String url = TestPostgres.freshDatabase();
        try (Database a = Database.openPostgres(url, TestPostgres.PASSWORD);
                Database b = Database.openPostgres(url, TestPostgres.PASSWORD)) {
            ConsoleSessions onA = new ConsoleSessions(a, clock);
            ConsoleSessions onB = new ConsoleSessions(b, clock);
            ConsoleSessions.Opened opened = onA.open();
            assertThat(onB.use(opened.cookie(), opened.tabSecret())).isTrue();
            assertThat(onB.use(opened.cookie(), "arb_" + "x".repeat(43))).isFalse();
            onB.close(opened.cookie());
            assertThat(onA.use(opened.cookie(), opened.tabSecret()))
                    .as("signed out on B")
                    .isFalse();
            assertThat(onB.redeemLink(onA.issueLink())).as("a link is A's own").isFalse();
        } finally {
            TestPostgres.drop(url);
        }
    }
}
