package io.authrelay.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.SettableClock;
import io.authrelay.server.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Links in one daemon's memory; sessions in the database, so on PostgreSQL every replica honours them. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class ConsoleSessionsTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock();
    private Database db;
    private ConsoleSessions sessions;

    @BeforeEach
    void open() {
        db = database.open(dir);
        sessions = new ConsoleSessions(db, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aLinkWorksOnceAndOnlyWithinFiveMinutes() {
        String link = sessions.issueLink();
        assertThat(link).startsWith("arl_").hasSizeGreaterThan(40);
        assertThat(sessions.redeemLink(link)).isTrue();
        assertThat(sessions.redeemLink(link)).as("used").isFalse();

        String late = sessions.issueLink();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(sessions.redeemLink(late)).as("expired").isFalse();

        String fresh = sessions.issueLink();
        clock.now = clock.now.plus(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(sessions.redeemLink(fresh)).isTrue();
        assertThat(sessions.redeemLink(null)).isFalse();
        assertThat(SecretRedactor.redact("link " + link)).isEqualTo("link " + SecretRedactor.MASK);
        assertThat(new ConsoleSessions(db, clock).redeemLink(sessions.issueLink()))
                .as("another daemon's link")
                .isFalse();
    }

    @Test
    void aSessionNeedsBothSecretsAndEndsWhenIdleOrClosed() {
        ConsoleSessions.Opened opened = sessions.open();
        ConsoleSessions.Opened other = sessions.open();
        assertThat(sessions.use(opened.cookie(), opened.tabSecret())).isTrue();
        assertThat(SecretRedactor.redact(opened.cookie() + " " + opened.tabSecret()))
                .isEqualTo(SecretRedactor.MASK + " " + SecretRedactor.MASK);
        assertThat(sessions.use(opened.cookie(), null)).isFalse();
        assertThat(sessions.use(null, opened.tabSecret())).isFalse();
        assertThat(sessions.use(opened.cookie(), other.tabSecret()))
                .as("another tab's secret")
                .isFalse();

        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.use(opened.cookie(), opened.tabSecret()))
                .as("use keeps it alive")
                .isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.use(opened.cookie(), opened.tabSecret())).isTrue();
        assertThat(sessions.use(other.cookie(), other.tabSecret()))
                .as("idle for 58 minutes")
                .isFalse();

        sessions.close(opened.cookie());
        assertThat(sessions.use(opened.cookie(), opened.tabSecret())).isFalse();
    }

    @Test
    void signInsCannotGrowWithoutBoundTheOldestMakesRoom() {
        ConsoleSessions.Opened first = sessions.open();
        for (int i = 0; i < 300; i++) sessions.open();
        assertThat(sessions.use(first.cookie(), first.tabSecret())).isFalse();
        ConsoleSessions.Opened last = sessions.open();
        assertThat(sessions.use(last.cookie(), last.tabSecret())).isTrue();
    }

    @Test
    void theDatabaseHoldsOnlyHashes() {
        ConsoleSessions.Opened opened = sessions.open();
        String rows = db.with(h -> h.createQuery("SELECT cookie_hash || ' ' || tab_hash FROM console_session")
                .mapTo(String.class)
                .list()
                .toString());
        assertThat(rows).doesNotContain(opened.cookie()).doesNotContain(opened.tabSecret());
    }
}
