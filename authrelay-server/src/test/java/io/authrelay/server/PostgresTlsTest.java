package io.authrelay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.PrivateCa;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's pool against a PostgreSQL that serves TLS with a private CA's certificate, through the URL an operator
 * writes: verify-full with the right CA connects over TLS; another CA's certificate, or a name the certificate does not
 * hold, is refused before the password is sent.
 */
class PostgresTlsTest {
    @TempDir
    static Path dir;

    private static EmbeddedPostgres server;
    private static PrivateCa ours;
    private static Map<String, String> env;

    @BeforeAll
    static void aTlsServer() throws Exception {
        ours = PrivateCa.create(dir.resolve("ca"), "db-ca");
        PrivateCa.Issued certificate = ours.issue("db", "DNS:localhost");
        Files.setPosixFilePermissions(certificate.key(), PosixFilePermissions.fromString("rw-------"));
        server = TestPostgres.startCluster(Map.of(
                "ssl", "on",
                "ssl_cert_file", certificate.certificate().toString(),
                "ssl_key_file", certificate.key().toString()));
        try (var superuser = server.getPostgresDatabase().getConnection()) {
            superuser.createStatement().execute("CREATE DATABASE tls OWNER " + TestPostgres.USER);
        }
        env = Map.of(
                DatabaseTarget.PASSWORD_FILE_ENV,
                PrivateDirs.file(dir.resolve("db-password"), TestPostgres.PASSWORD)
                        .toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    private String url(String host, Path trusted) {
        return "jdbc:postgresql://" + host + ":" + server.getPort() + "/tls?user=" + TestPostgres.USER
                + "&sslmode=verify-full&sslrootcert=" + trusted;
    }

    @Test
    void verifyFullWithTheRightAuthorityConnectsOverTls() {
        DatabaseTarget target = DatabaseTarget.resolve(url("localhost", ours.certificate()), env, null);
        try (Database db = target.open()) {
            assertThat(db.<Boolean>with(h -> h.createQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                            .mapTo(Boolean.class)
                            .one()))
                    .isTrue();
        }
    }

    @Test
    void anotherAuthoritysCertificateOrAnotherNameIsRefused() {
        PrivateCa stranger = PrivateCa.create(dir.resolve("stranger"), "stranger-ca");
        for (String url :
                new String[] {url("localhost", stranger.certificate()), url("127.0.0.1", ours.certificate())}) {
            DatabaseTarget target = DatabaseTarget.resolve(url, env, null);
            assertThatThrownBy(() -> target.open().close())
                    .as(url)
                    .hasStackTraceContaining("SSL")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(TestPostgres.PASSWORD));
        }
    }

    private static String stackTrace(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
