package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.HomeDatabase;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestPostgres;
import io.authrelay.server.vault.TinkVault;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * `authrelay migrate` as an operator runs it: a SQLite home with providers, credentials (one refreshable), workspaces
 * with grants, API tokens, audit rows and a pending login, moved into PostgreSQL; a daemon on the same home and keyset
 * then serves the same credentials to the same workspace tokens, and the pending login is still polled. Every refusal
 * leaves the target as it was.
 */
class MigrateCliTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withSimulator(SimOptions.defaults(Flavor.GITHUB)
                    .withIntervalSeconds(1)
                    .withCodeLifetimeSeconds(600)
                    .withTokenLifetimeSeconds(3600));

    @Test
    void aMigratedHomeServesTheSameCredentialsToTheSameWorkspaceTokensFromPostgresql() throws Exception {
        broker.addStaticProvider("forge", "git.forge.test", "forge-secret-value");
        addGithub("gh", "gh.example.test");
        addGithub("later", "later.example.test");
        broker.loginApprovedBy(broker.sim(), "gh");
        JsonNode pending = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"later\"}"))
                .json();
        String ci = broker.createWorkspace("ci", "forge", "gh");
        String docs = broker.createWorkspace("docs", "forge=git.forge.test/docs/*");
        String reader = broker.createApiToken("reader", "read");
        String ghToken = password(expect(200, broker.vend(ci, "gh.example.test", null)));
        assertThat(password(expect(200, broker.vend(ci, "git.forge.test", null))))
                .isEqualTo("forge-secret-value");
        long audit = broker.database().count("SELECT COUNT(*) FROM audit_event");
        // SIGKILL: the last commits may live only in the WAL, and its stale socket answers nobody.
        broker.kill();

        String url = TestPostgres.freshDatabase();
        CliRun migrated = migrate(passwordEnv(), "--to=" + url);
        // db-scheduler's times: epoch millis in SQLite, TIMESTAMP WITH TIME ZONE in PostgreSQL.
        long pollAt =
                broker.database().count("SELECT execution_time FROM scheduled_tasks WHERE task_name = 'poll-login'");
        assertThat(migrated.exit()).as(migrated.err()).isEqualTo(ExitCodes.OK);
        assertThat(migrated.out()).contains("TABLE", "scheduled_tasks", "workspace_grant", "sealed secrets read back");
        assertThat(migrated.out() + migrated.err()).doesNotContain(TestPostgres.PASSWORD, "forge-secret-value");
        Map<String, Long> rows = targetCounts(url);
        assertThat(rows.get("audit_event")).isEqualTo(audit);
        assertThat(rows.get("workspace_grant")).isEqualTo(3);
        assertThat(rows.get("api_token")).isEqualTo(1);
        assertThat(targetLong(
                        url,
                        "SELECT (EXTRACT(EPOCH FROM execution_time) * 1000)::BIGINT FROM scheduled_tasks"
                                + " WHERE task_name = 'poll-login'"))
                .isEqualTo(pollAt);
        assertThat(targetLong(url, "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'refresh-credential'"))
                .isEqualTo(1);

        // The source is left as it was; the daemon must not fall back on it.
        Files.move(broker.home().resolve("authrelay.db"), broker.dir().resolve("authrelay-sqlite.db"));
        broker.movedToPostgres(url).start();
        assertThat(expect(200, broker.send("GET", "/v1/status", null))
                        .json()
                        .path("database")
                        .asString())
                .isEqualTo("postgresql");
        assertThat(password(expect(200, broker.vend(ci, "git.forge.test", null))))
                .isEqualTo("forge-secret-value");
        assertThat(password(expect(200, broker.vend(ci, "gh.example.test", null))))
                .isEqualTo(ghToken);
        assertThat(password(expect(200, broker.vend(docs, "git.forge.test", "docs/site.git"))))
                .isEqualTo("forge-secret-value");
        expect(403, broker.vend(docs, "gh.example.test", null));
        expect(200, broker.send("GET", "/v1/providers", null, reader));

        broker.sim().approve(pending.path("user_code").asString(), "octocat");
        JsonNode login = broker.awaitLoginEnd(pending.path("session").asString(), Duration.ofSeconds(60));
        assertThat(login.path("status").asString()).isEqualTo("connected");
        assertThat(broker.log()).doesNotContain(TestPostgres.PASSWORD);
        broker.terminate();
        // The identity sequences moved past the copied ids: the vends above added audit rows after them.
        assertThat(targetCounts(url).get("audit_event")).isGreaterThan(audit);
    }

    @Test
    void everyRefusalLeavesTheTargetUnchanged() throws Exception {
        broker.addStaticProvider("forge", "git.forge.test", "forge-secret-value");
        broker.createWorkspace("ci", "forge");
        String url = TestPostgres.freshDatabase();

        CliRun running = migrate(passwordEnv(), "--to=" + url);
        assertRefused(running, "stop the daemon first");
        broker.terminate();

        try (Connection elsewhere = DriverManager.getConnection(
                        "jdbc:sqlite:" + broker.home().resolve("authrelay.db"));
                Statement s = elsewhere.createStatement()) {
            // Another process holds the file open (a daemon of another home, say): no socket answers, still refused.
            s.executeQuery("SELECT COUNT(*) FROM provider").close();
            assertRefused(migrate(passwordEnv(), "--to=" + url), "open in another process");
        }

        assertRefused(migrate(passwordEnv(), "--to=jdbc:sqlite:/tmp/x.db"), ExitCodes.USAGE, "jdbc:postgresql:");

        CliRun inUrl = migrate(passwordEnv(), "--to=" + url + "&password=" + TestPostgres.PASSWORD);
        assertRefused(inUrl, "AUTHRELAY_DB_PASSWORD_FILE");
        assertThat(inUrl.err()).doesNotContain(TestPostgres.PASSWORD);

        CliRun noPasswordFile = migrate(
                Map.of(
                        "AUTHRELAY_DB_PASSWORD_FILE",
                        broker.dir().resolve("absent").toString()),
                "--to=" + url);
        assertRefused(noPasswordFile, "database password file");

        Path otherKeyset = broker.dir().resolve("other-keyset.json");
        TinkVault.open(otherKeyset, true);
        CliRun wrongKeyset = migrate(passwordEnv(), "--to=" + url, "--keyset=" + otherKeyset);
        assertRefused(wrongKeyset, "wrong keyset");

        // The newest migration missing (an older build's file), or one in the middle (a gap in the history).
        for (String version : List.of("(SELECT MAX(installed_rank) FROM flyway_schema_history)", "2")) {
            Path older = broker.dir().resolve("older-" + version.length() + ".db");
            Files.copy(broker.home().resolve("authrelay.db"), older);
            new HomeDatabase(older).execute("DELETE FROM flyway_schema_history WHERE installed_rank = " + version);
            CliRun oldSchema = Cli.run(
                    passwordEnv(),
                    null,
                    "migrate",
                    "--from=" + older,
                    "--to=" + url,
                    "--keyset=" + broker.home().resolve("keyset.json"));
            assertRefused(oldSchema, "upgrade it first");
        }
        assertThat(targetTables(url))
                .as("nothing was written before these refusals")
                .isEmpty();

        assertThat(migrate(passwordEnv(), "--to=" + url).exit()).isEqualTo(ExitCodes.OK);
        Map<String, Long> first = targetCounts(url);
        broker.start();
        broker.addStaticProvider("second", "git.second.test", "second-secret");
        broker.terminate();
        assertRefused(migrate(passwordEnv(), "--to=" + url), "already holds data");
        assertThat(targetCounts(url)).isEqualTo(first);

        CliRun forced = migrate(passwordEnv(), "--to=" + url, "--force", "--json");
        assertThat(forced.exit()).as(forced.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = Json.MAPPER.readTree(forced.out());
        assertThat(report.path("replaced").path("provider").asLong()).isEqualTo(1);
        List<String> tables = new ArrayList<>();
        report.path("tables").forEach(t -> {
            tables.add(t.path("table").asString());
            assertThat(t.path("target").asLong()).isEqualTo(t.path("source").asLong());
        });
        assertThat(tables).contains("provider", "sealed_secret", "scheduled_tasks");
        assertThat(targetCounts(url).get("provider")).isEqualTo(2);
    }

    private void addGithub(String name, String host) {
        expect(
                201,
                broker.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"" + name + "\",\"type\":\"github\",\"client_id\":\"cid\",\"base_url\":\""
                                + broker.sim().baseUrl() + "\",\"host\":\"" + host + "\"}"));
    }

    private static String password(io.authrelay.server.testing.Reply vend) {
        return vend.json().path("password").asString();
    }

    private Map<String, String> passwordEnv() {
        return Map.of(
                "AUTHRELAY_DB_PASSWORD_FILE", broker.postgresPasswordFile().toString());
    }

    private CliRun migrate(Map<String, String> env, String... args) {
        List<String> all =
                new ArrayList<>(List.of("migrate", "--from=" + broker.home().resolve("authrelay.db")));
        all.addAll(List.of(args));
        return Cli.run(env, null, all.toArray(String[]::new));
    }

    private static void assertRefused(CliRun run, String reason) {
        assertRefused(run, ExitCodes.FAILED, reason);
    }

    private static void assertRefused(CliRun run, int exit, String reason) {
        assertThat(run.exit()).as(run.err()).isEqualTo(exit);
        assertThat(run.err()
                        .lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("  hint:"))
                        .toList())
                .as(run.err())
                .singleElement()
                .asString()
                .contains(reason);
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
    }

    private static List<String> targetTables(String url) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema()")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        return tables;
    }

    private static long targetLong(String url, String sql) throws SQLException {
        try (Connection c = connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> targetCounts(String url) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            for (String table : io.authrelay.server.migrate.MigrationTables.COPIED) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
