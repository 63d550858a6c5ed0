package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.server.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Pruning against real SQLite and PostgreSQL databases, with a fixed clock instead of waiting. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AuditPrunerTest {
    @Parameter
    TestDatabase database;

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Database db;
    private SqlAuditLog audit;

    @BeforeEach
    void open() {
        db = database.open(dir);
        audit = new SqlAuditLog(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void eventsAged(Duration age, int count) {
        for (int i = 0; i < count; i++)
            audit.append(NOW.minus(age), Actor.system(), "test.event", "age " + age, AuditLog.OK, null);
    }

    @Test
    void deletesEveryEventPastTheRetentionInBatchesAndKeepsTheRest() {
        eventsAged(Duration.ofDays(200), 23);
        eventsAged(Duration.ofDays(91), 4);
        eventsAged(Duration.ofDays(89), 5);
        eventsAged(Duration.ZERO, 2);

        int deleted = new AuditPruner(db, Duration.ofDays(90), CLOCK, 10).prune();

        assertThat(deleted).isEqualTo(27);
        assertThat(audit.since(Instant.EPOCH, 1000))
                .extracting(AuditEvent::target)
                .containsOnly("age PT2136H", "age PT0S")
                .hasSize(7);
        assertThat(new AuditPruner(db, Duration.ofDays(90), CLOCK, 10).prune()).isZero();
    }

    @Test
    void aRetentionOfZeroKeepsEverything() {
        eventsAged(Duration.ofDays(3650), 3);
        assertThat(new AuditPruner(db, Duration.ZERO, CLOCK, 10).prune()).isZero();
        assertThat(audit.since(Instant.EPOCH, 1000)).hasSize(3);
    }
}
