package io.authrelay.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who is alive, from each replica's own heartbeat row; on SQLite nobody but this daemon ever is. */
class ReplicaRegistryTest {
    @TempDir
    Path dir;

    @Test
    void replicasOnOnePostgresSeeEachOtherUntilOneStopsOrFallsSilent() {
        String url = TestPostgres.freshDatabase();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-06-01T12:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (Database db = Database.openPostgres(url, TestPostgres.PASSWORD)) {
            ReplicaRegistry a = new ReplicaRegistry(db, clock);
            ReplicaRegistry b = new ReplicaRegistry(db, clock);
            ReplicaRegistry c = new ReplicaRegistry(db, clock);
            a.start("http://10.0.0.1:7878");
            b.start("http://10.0.0.2:7878");
            c.start(null);

            assertThat(a.live()).extracting(Replica::id).containsExactlyInAnyOrder(a.id(), b.id(), c.id());
            assertThat(a.live().getFirst().self()).isTrue();
            assertThat(a.find(b.id()).orElseThrow().address()).isEqualTo("http://10.0.0.2:7878");

            c.close(); // a clean stop removes its row at once
            assertThat(a.find(c.id())).isEmpty();

            // b falls silent (SIGKILL: no row removed); its row ages past ALIVE_WITHIN while a's clock runs on.
            now.set(now.get().plus(ReplicaRegistry.ALIVE_WITHIN).plus(Duration.ofSeconds(1)));
            Replica silent = a.find(b.id()).orElseThrow();
            assertThat(a.isAlive(silent)).isFalse();
            assertThat(a.live()).extracting(Replica::id).doesNotContain(b.id());
            a.close();
            b.close();
        } finally {
            TestPostgres.drop(url);
        }
    }

    @Test
    void onSqliteAPreviousRunOfTheDaemonIsNeverAlive() {
        try (Database db = Database.openSqlite(dir.resolve("authrelay.db"))) {
            ReplicaRegistry previous = new ReplicaRegistry(db, Clock.systemUTC());
            previous.start("http://127.0.0.1:7878");
            ReplicaRegistry current = new ReplicaRegistry(db, Clock.systemUTC());
            current.start("http://127.0.0.1:7878");
            // Its heartbeat is seconds old, but one daemon owns a SQLite home: it is a run that ended without cleanup.
            assertThat(current.live()).extracting(Replica::id).containsExactly(current.id());
            assertThat(current.isAlive(current.find(previous.id()).orElseThrow()))
                    .isFalse();
            current.close();
        }
    }
}
