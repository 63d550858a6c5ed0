package io.authrelay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.redaction.SecretRedactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which database the daemon opens, and where a PostgreSQL password may come from: a private file, nowhere else. */
class DatabaseTargetTest {
    private static final String PG = "jdbc:postgresql://db.internal:5432/authrelay?user=authrelay&sslmode=verify-full";

    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home").resolve("authrelay.db");
    }

    private Path passwordFile(String content, String mode) throws Exception {
        Path file = dir.resolve("db-password");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void sqliteInTheHomeUnlessDbOrTheEnvironmentNamesAnother() {
        assertThat(DatabaseTarget.resolve(null, Map.of(), home())).isEqualTo(new DatabaseTarget.Sqlite(home()));
        assertThat(DatabaseTarget.resolve(null, Map.of("AUTHRELAY_DB_URL", " "), home()))
                .isEqualTo(new DatabaseTarget.Sqlite(home()));
        assertThat(DatabaseTarget.resolve("jdbc:sqlite:/srv/a.db", Map.of(), home()))
                .isEqualTo(new DatabaseTarget.Sqlite(Path.of("/srv/a.db")));
        assertThat(DatabaseTarget.resolve(null, Map.of("AUTHRELAY_DB_URL", PG), home()))
                .isEqualTo(new DatabaseTarget.Postgres(PG, null));
        // --db wins over the environment
        assertThat(DatabaseTarget.resolve("jdbc:sqlite:/srv/a.db", Map.of("AUTHRELAY_DB_URL", PG), home()))
                .isInstanceOf(DatabaseTarget.Sqlite.class);
    }

    @Test
    void thePasswordComesFromAnOwnerOnlyFileAndIsNeverLogged() throws Exception {
        Path file = passwordFile("s3cret-db-password-7731\n", "rw-------");
        var target = DatabaseTarget.resolve(PG, Map.of("AUTHRELAY_DB_PASSWORD_FILE", file.toString()), home());
        assertThat(target).isEqualTo(new DatabaseTarget.Postgres(PG, "s3cret-db-password-7731"));
        assertThat(target.toString()).doesNotContain("s3cret");
        assertThat(SecretRedactor.redact("connect failed for s3cret-db-password-7731"))
                .doesNotContain("s3cret-db-password-7731");

        for (String mode : new String[] {"rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() ->
                            DatabaseTarget.resolve(PG, Map.of("AUTHRELAY_DB_PASSWORD_FILE", file.toString()), home()))
                    .as(mode)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("database password file " + file)
                    .hasMessageContaining("chmod 600");
        }
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
        for (String url : new String[] {
            PG + "&password=hunter2-xyz",
            "jdbc:postgresql://db.internal/authrelay?PASSWORD=hunter2-xyz&user=a",
            "jdbc:postgresql://authrelay:hunter2-xyz@db.internal/authrelay"
        }) {
            assertThatThrownBy(() -> DatabaseTarget.resolve(url, Map.of(), home()))
                    .as(url)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("AUTHRELAY_DB_PASSWORD_FILE")
                    .hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> DatabaseTarget.resolve(null, Map.of("AUTHRELAY_DB_URL", url), home()))
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void aDatabaseOffThisMachineIsReachedOnlyWithACheckedCertificate() {
        for (String url : new String[] {
            "jdbc:postgresql://db.internal:5432/authrelay?user=a",
            "jdbc:postgresql://db.internal/authrelay?user=a&sslmode=require",
            "jdbc:postgresql://db.internal/authrelay?user=a&sslmode=verify-ca",
            "jdbc:postgresql://db.internal/authrelay?user=a&SSLMODE=verify-full", // the driver ignores this name
            "jdbc:postgresql://db.internal/authrelay?sslmode=verify-full&user=a&sslmode=prefer", // the last one counts
            "jdbc:postgresql://db.internal/authrelay?sslmode=verify-full%20",
            "jdbc:postgresql://localhost:5432,db.internal:5432/authrelay?user=a",
            "jdbc:postgresql://127.0.0.1.evil.test/authrelay?user=a",
            "jdbc:postgresql://localhost.evil.test/authrelay?user=a",
            "jdbc:postgresql://localhost./authrelay?user=a", // an absolute name a resolver may send to DNS
            "jdbc:postgresql://127.0.0.256/authrelay?user=a",
            "jdbc:postgresql://[::ffff:10.0.0.1]:5432/authrelay?user=a",
            "jdbc:postgresql://ⅼocalhost/authrelay?user=a" // U+217C, a lookalike l
        }) {
            assertThatThrownBy(() -> DatabaseTarget.resolve(url, Map.of(), home()))
                    .as(url)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("sslmode=verify-full");
        }
        for (String url : new String[] {
            "jdbc:postgresql://db.internal/authrelay?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory",
            "jdbc:postgresql://db.internal/authrelay?sslmode=verify-full&sslhostnameverifier=x.AnyHost"
        }) {
            assertThatThrownBy(() -> DatabaseTarget.resolve(url, Map.of(), home()))
                    .as(url)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("must not set ssl");
        }
        for (String url : new String[] {
            "jdbc:postgresql://db.internal:5432/authrelay?user=a&sslmode=verify-full&sslrootcert=/etc/ca.pem",
            "jdbc:postgresql://db.internal/authrelay?sslmode=verify%2Dfull",
            "jdbc:postgresql://localhost:5432/authrelay?user=a",
            "jdbc:postgresql://LOCALHOST/authrelay?user=a",
            "jdbc:postgresql://127.0.0.1:5432/authrelay?user=a",
            "jdbc:postgresql://127.12.0.9,[::1]:5433/authrelay?user=a",
            "jdbc:postgresql:authrelay?user=a",
            "jdbc:postgresql:///authrelay?user=a"
        }) {
            assertThat(DatabaseTarget.resolve(url, Map.of(), home()))
                    .as(url)
                    .isInstanceOf(DatabaseTarget.Postgres.class);
        }
    }

    @Test
    void anotherDatabaseIsRefusedNamingOnlyItsScheme() {
        assertThatThrownBy(() -> DatabaseTarget.resolve("jdbc:mysql://u:hunter2-xyz@h/db", Map.of(), home()))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("jdbc:sqlite:PATH or jdbc:postgresql://")
                .hasMessageContaining("jdbc:mysql:")
                .hasMessageNotContaining("hunter2");
    }
}
