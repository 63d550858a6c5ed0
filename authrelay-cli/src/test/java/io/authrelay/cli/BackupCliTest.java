package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.HomeDatabase;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `authrelay backup FILE` copies the home's SQLite database while the daemon vends and writes audit rows; a home made
 * of the backup and the keyset serves the same credential to the same workspace token. The output names the keyset,
 * and the command refuses to overwrite anything by surprise, least of all the database.
 */
class BackupCliTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process();

    @Test
    void aBackupTakenWhileTheDaemonVendsRestoresIntoAHomeThatServesTheSameCredential() throws Exception {
        broker.addStaticProvider("forge", "git.forge.test", "forge-secret-value");
        String workspace = broker.createWorkspace("ci", "forge");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger vends = new AtomicInteger();
        CompletableFuture<Void> vending = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                expect(200, broker.vend(workspace, "git.forge.test", null));
                vends.incrementAndGet();
            }
        });
        Path backup = PrivateDirs.directory(broker.dir().resolve("backups")).resolve("authrelay-backup.db");
        CliRun run;
        int before;
        try {
            while (vends.get() < 5) TestBroker.pause(20);
            before = vends.get();
            run = broker.cli("backup", backup.toString());
        } finally {
            stop.set(true);
        }
        vending.join();
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(vends.get()).as("the daemon kept vending during the backup").isGreaterThan(before);
        assertThat(run.out()).contains(broker.home().resolve("keyset.json").toString(), "useless without that keyset");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-------");
        assertThat(new HomeDatabase(backup).count("SELECT COUNT(*) FROM audit_event WHERE action = 'vend'"))
                .isGreaterThanOrEqualTo(1);

        try (TestBroker restored = TestBroker.process().startedByTest()) {
            restored.open();
            Path home = PrivateDirs.directory(restored.home());
            Files.copy(backup, home.resolve("authrelay.db"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(
                    broker.home().resolve("keyset.json"),
                    home.resolve("keyset.json"),
                    StandardCopyOption.COPY_ATTRIBUTES);
            broker.kill();
            restored.start();
            assertThat(expect(200, restored.vend(workspace, "git.forge.test", null))
                            .json()
                            .path("password")
                            .asString())
                    .isEqualTo("forge-secret-value");
        }
    }

    @Test
    void itOverwritesNothingBySurpriseAndSendsPostgresqlToPgDump() throws Exception {
        Path dir = PrivateDirs.directory(broker.dir().resolve("backups"));
        Path existing = PrivateDirs.file(dir.resolve("old.db"), "an older backup");

        assertRefused(broker.cli("backup", existing.toString()), ExitCodes.FAILED, "not empty");
        assertThat(Files.readString(existing)).isEqualTo("an older backup");
        assertThat(broker.cli("backup", "--force", existing.toString()).exit()).isEqualTo(ExitCodes.OK);
        assertThat(new HomeDatabase(existing).count("SELECT COUNT(*) FROM flyway_schema_history"))
                .isPositive();

        Path database = broker.home().resolve("authrelay.db");
        long size = Files.size(database);
        assertRefused(broker.cli("backup", "--force", database.toString()), ExitCodes.FAILED, "the database itself");
        assertRefused(broker.cli("backup", "--force", database + "-wal"), ExitCodes.FAILED, "the database itself");
        Path alias = broker.dir().resolve("alias");
        Files.createSymbolicLink(alias, broker.home());
        assertRefused(
                broker.cli(
                        "backup", "--force", alias.resolve("authrelay.db-wal").toString()),
                ExitCodes.FAILED,
                "the database itself");
        assertThat(Files.size(database)).isGreaterThanOrEqualTo(size);
        expect(200, broker.send("GET", "/v1/status", null));

        Path shared = PrivateDirs.directory(broker.dir().resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused(broker.cli("backup", shared.resolve("b.db").toString()), ExitCodes.FAILED, "others may write");
        assertThat(shared.resolve("b.db")).doesNotExist();

        Path link = dir.resolve("link.db");
        Files.createSymbolicLink(link, database);
        assertRefused(broker.cli("backup", "--force", link.toString()), ExitCodes.FAILED, "not a regular file");

        assertRefused(
                broker.cli("backup", "--db=jdbc:postgresql://127.0.0.1:5432/authrelay?user=authrelay", "x.db"),
                ExitCodes.USAGE,
                "PostgreSQL");
    }

    @Test
    void bothOfflineCommandsExplainThemselvesAndRefuseMissingArgumentsAsUsage() {
        CliRun backupHelp = broker.cli("backup", "--help");
        assertThat(backupHelp.exit()).isZero();
        assertThat(backupHelp.out()).contains("Usage:", "useless without it", "pg_dump");
        CliRun migrateHelp = broker.cli("migrate", "--help");
        assertThat(migrateHelp.exit()).isZero();
        assertThat(migrateHelp.out()).contains("Usage:", "--force", "AUTHRELAY_DB_PASSWORD_FILE");
        assertThat(broker.cli("migrate", "--from=x.db").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(broker.cli("backup").exit()).isEqualTo(ExitCodes.USAGE);
    }

    private static void assertRefused(CliRun run, int exit, String reason) {
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(exit);
        assertThat(run.err()).contains(reason);
    }
}
