package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** `authrelay api-token` and `authrelay admin-token rotate` as a user runs them, against a daemon process. */
class ApiTokenCliTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process().withDaemonArgs("--audit-retention", "30d");

    private final List<CliRun> runs = new ArrayList<>();

    private CliRun cli(Map<String, String> env, String... args) {
        CliRun run = Cli.run(env, null, args);
        runs.add(run);
        return run;
    }

    private CliRun cli(String... args) {
        return cli(broker.cliEnv(), args);
    }

    @Test
    void aMetricsTokenIsPrintedOnceOpensOnlyMetricsAndDiesWhenRevoked() throws Exception {
        CliRun created = cli("api-token", "create", "prom", "--scope", "metrics");
        assertThat(created.exit()).as(created.toString()).isZero();
        String token = created.out().strip();
        assertThat(created.out()).isEqualTo(token + "\n");
        assertThat(token).startsWith("art_").hasSize(4 + 43);
        assertThat(created.err()).contains("created API token prom (scope metrics)");

        expect(200, broker.send("GET", "/metrics", null, token));
        expectError(403, "insufficient_scope", broker.send("GET", "/v1/status", null, token));

        CliRun list = cli("api-token", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("prom", "metrics", "active").doesNotContain(token);
        JsonNode listed =
                Json.MAPPER.readTree(cli("api-token", "list", "--json").out());
        assertThat(listed.path("api_tokens").get(0).path("last_used_at").isNull())
                .isFalse();

        assertThat(cli("api-token", "create", "x", "--scope", "root").exit()).isEqualTo(ExitCodes.USAGE);
        Map<String, String> asReader =
                Map.of("AUTHRELAY_URL", broker.url(), "AUTHRELAY_TOKEN", broker.createApiToken("dash", "read"));
        assertThat(cli(asReader, "api-token", "create", "more", "--scope", "read")
                        .exit())
                .isEqualTo(ExitCodes.AUTH);
        assertThat(cli(asReader, "status").exit()).isZero();

        CliRun revoked = cli("api-token", "revoke", "prom", "--json");
        assertThat(revoked.exit()).isZero();
        assertThat(Json.MAPPER.readTree(revoked.out()).path("state").asString()).isEqualTo("revoked");
        expectError(401, "invalid_token", broker.send("GET", "/metrics", null, token));
        assertThat(cli("api-token", "revoke", "nope").exit()).isEqualTo(ExitCodes.NOT_FOUND);

        String audit = expect(200, broker.send("GET", "/v1/audit", null)).body();
        assertThat(audit).contains("\"api-token.create\"", "\"api-token.revoke\"");
        assertThat(audit + broker.log()).doesNotContain(token, asReader.get("AUTHRELAY_TOKEN"));
        assertThat(runs.subList(1, runs.size()).toString()).doesNotContain(token);
    }

    @Test
    void rotatingTheAdminTokenKeepsTheCliWorkingAndARemoteCallerGetsTheNewTokenOnce() throws Exception {
        String old = broker.adminToken();
        CliRun local = cli("admin-token", "rotate", "--json");
        assertThat(local.exit()).as(local.toString()).isZero();
        String fresh = broker.adminToken();
        assertThat(fresh).startsWith("ara_").isNotEqualTo(old);
        JsonNode answer = Json.MAPPER.readTree(local.out());
        assertThat(answer.has("token"))
                .as("through the home's socket the token stays in the file")
                .isFalse();
        assertThat(answer.path("token_file").asString())
                .isEqualTo(broker.home().resolve("admin.token").toString());
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(broker.home().resolve("admin.token"))))
                .isEqualTo("rw-------");
        expectError(401, "invalid_token", broker.send("GET", "/v1/status", null, old));
        assertThat(cli("status").exit()).isZero();

        CliRun remote = cli(Map.of("AUTHRELAY_URL", broker.url(), "AUTHRELAY_TOKEN", fresh), "admin-token", "rotate");
        assertThat(remote.exit()).as(remote.toString()).isZero();
        String newest = remote.out().strip();
        assertThat(newest).startsWith("ara_").isEqualTo(broker.adminToken());
        assertThat(remote.err()).contains("AUTHRELAY_TOKEN").doesNotContain(newest);

        broker.restart();
        assertThat(cli("status").exit()).isZero();
        expectError(401, "invalid_token", broker.send("GET", "/v1/status", null, fresh));
        expect(200, broker.send("GET", "/v1/status", null, newest));
        assertThat(expect(200, broker.send("GET", "/v1/audit", null)).body())
                .contains("\"admin-token.rotate\"")
                .doesNotContain(old, fresh, newest);
        assertThat(broker.log()).doesNotContain(old, fresh, newest);
    }

    @Test
    void theServerRefusesAnAuditRetentionItCannotRead() {
        CliRun refused = cli("server", "--home", broker.dir().resolve("other").toString(), "--audit-retention", "ever");
        assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("authrelay server --help");
    }
}
