package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `authrelay server --db jdbc:postgresql:…` as an operator runs it: the state lives in PostgreSQL (a restart serves the
 * same workspace), and the password, read from AUTHRELAY_DB_PASSWORD_FILE, shows in no argv and no log line.
 */
class PostgresServerTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process().onPostgres();

    @Test
    void theDaemonKeepsItsStateInPostgresqlAndThePasswordNowhereElse() {
        broker.addStaticProvider("forge", "git.forge.test", "forge-secret-value");
        String workspace = broker.createWorkspace("ci", "forge");
        assertThat(expect(200, broker.vend(workspace, "git.forge.test", null))
                        .json()
                        .path("password")
                        .asString())
                .isEqualTo("forge-secret-value");
        assertThat(expect(200, broker.send("GET", "/v1/status", null))
                        .json()
                        .path("database")
                        .asString())
                .isEqualTo("postgresql");
        assertThat(broker.home().resolve("authrelay.db")).doesNotExist();

        broker.restart();
        expect(200, broker.vend(workspace, "git.forge.test", null));
        assertThat(broker.log()).contains("authrelay listening").doesNotContain(TestPostgres.PASSWORD);
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a daemon that started would never return
    void aPasswordInTheUrlAWrongPasswordOrNoServerRefuseToStartInOneLine() {
        broker.terminate();
        String url = broker.postgresUrl();
        Path wrong = PrivateDirs.file(broker.dir().resolve("wrong-password"), "not-the-password-4411\n");
        Map<String, String> env = Map.of("AUTHRELAY_DB_PASSWORD_FILE", wrong.toString());

        CliRun inUrl = server(Map.of(), "--db=" + url + "&password=" + TestPostgres.PASSWORD);
        assertThat(inUrl.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(inUrl.err()).contains("AUTHRELAY_DB_PASSWORD_FILE").doesNotContain(TestPostgres.PASSWORD);

        CliRun wrongPassword = server(env, "--db=" + url);
        assertThat(wrongPassword.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(wrongPassword.err()).contains("refusing to start").doesNotContain("not-the-password-4411");

        CliRun noServer = server(
                Map.of(), "--db=jdbc:postgresql://127.0.0.1:" + TestBroker.freePort() + "/authrelay?user=authrelay");
        assertThat(noServer.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(noServer.err()).contains("refusing to start: cannot open database");
    }

    private CliRun server(Map<String, String> env, String... args) {
        var all = new java.util.ArrayList<>(
                java.util.List.of("server", "--home=" + broker.home(), "--listen=127.0.0.1:" + TestBroker.freePort()));
        all.addAll(java.util.List.of(args));
        return Cli.run(env, null, all.toArray(String[]::new));
    }
}
