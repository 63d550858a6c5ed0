package io.authrelay.server.sql;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.vault.SecretRef;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.home.PrivateFiles;
import io.authrelay.server.testing.HomeDatabase;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.vault.TinkVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A home made before V4 (the database built by the shipped V1-V3 migrations, with rows in every table that V4 rebuilds
 * or hangs on) keeps every row when the daemon migrates it, and its schema still refuses orphans.
 */
class MigrationToV4Test {
    private static final long T = 1_900_000_000_000L;
    /** GitHub Enterprise on a loopback port where nothing listens: whatever the daemon tries stays on this machine. */
    private static final String GITHUB = """
            {"clientId":"Iv1.cid","scopes":"repo","issuer":"http://127.0.0.1:9",\
            "deviceEndpoint":"http://127.0.0.1:9/login/device/code",\
            "tokenEndpoint":"http://127.0.0.1:9/login/oauth/access_token",\
            "userinfoEndpoint":"http://127.0.0.1:9/api/v3/user","revocationEndpoint":null}""";

    private static final List<String> TABLES = List.of(
            "provider",
            "credential",
            "sealed_secret",
            "login_session",
            "login_event",
            "workspace",
            "workspace_grant",
            "audit_event");

    @RegisterExtension
    final TestBroker d = TestBroker.inProcess().startedByTest();

    private HomeDatabase homeBeforeV4() throws Exception {
        Path home = PrivateDirs.directory(d.home());
        Path file = home.resolve(DaemonHome.DATABASE);
        PrivateFiles.createIfAbsent(file);
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/sqlite")
                .target("3")
                .load()
                .migrate();
        HomeDatabase db = d.database();
        db.execute(
                "INSERT INTO provider(name, kind, host, username, config, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                "gh",
                "github",
                "github.com",
                null,
                GITHUB,
                T);
        db.execute(
                "INSERT INTO provider(name, kind, host, username, created_at) VALUES ('forge', 'static',"
                        + " 'git.forge.test', 'bot', ?)",
                T);
        db.execute("""
                INSERT INTO credential(provider, state, account, expires_at, updated_at, scopes, refreshable,
                    last_refresh_at, last_error, refresh_failures, version, refresh_owner, refresh_until)
                VALUES ('gh', 'connected', 'octocat', ?, ?, 'repo', 1, ?, 'slow', 2, 7, 'replica-1', ?)""", T + 3_600_000, T, T, T + 30_000);
        db.execute(
                "INSERT INTO credential(provider, state, account, updated_at, version) VALUES ('forge',"
                        + " 'connected', 'bot', ?, 1)",
                T);
        TinkVault vault = TinkVault.open(home.resolve(DaemonHome.KEYSET), true);
        seal(db, vault, SecretRef.credentialAccess("forge"), "forge-secret-before-v4");
        seal(db, vault, SecretRef.credentialAccess("gh"), "gh-access-before-v4");
        seal(db, vault, SecretRef.credentialRefresh("gh"), "gh-refresh-before-v4");
        seal(db, vault, SecretRef.deviceCode("ls_denied"), "device-code-before-v4");
        db.execute("""
                INSERT INTO login_session(id, provider, status, user_code, verification_uri, verification_uri_complete,
                    expires_at, interval_ms, next_poll_at, polls, consecutive_failures, last_result, reason, account,
                    created_at, updated_at)
                VALUES ('ls_done', 'gh', 'connected', 'ABCD-EFGH', 'https://github.com/login/device', NULL, ?, 5000,
                    NULL, 4, 0, 'tokens', NULL, 'octocat', ?, ?),
                       ('ls_denied', 'gh', 'denied', 'WXYZ-1234', 'https://github.com/login/device',
                    'https://github.com/login/device?code=WXYZ-1234', ?, 5000, ?, 1, 0, 'access_denied', 'denied',
                    NULL, ?, ?)""", T + 900_000, T, T, T + 900_000, T + 5_000, T, T);
        db.execute("""
                INSERT INTO login_event(session_id, provider, at, last_at, count, kind, http_status, code, detail)
                VALUES ('ls_done', 'gh', ?, ?, 3, 'poll', 400, 'authorization_pending', NULL)""", T, T + 10_000);
        db.execute("""
                INSERT INTO workspace(id, name, token_hash, expires_at, revoked_at, created_at, updated_at)
                VALUES ('ws_1', 'agents', ?, NULL, NULL, ?, ?)""", "a".repeat(64), T, T);
        db.execute("""
                INSERT INTO workspace_grant(workspace_id, position, provider, host, path_pattern)
                VALUES ('ws_1', 0, 'gh', 'github.com', 'org/*'), ('ws_1', 1, 'forge', 'git.forge.test', NULL)""");
        db.execute("""
                INSERT INTO audit_event(at, actor, action, target, result, origin, detail)
                VALUES (?, 'admin', 'provider.add', 'gh', 'ok', 'local', 'type=github')""", T);
        return db;
    }

    private static void seal(HomeDatabase db, TinkVault vault, SecretRef ref, String value) {
        byte[] ciphertext = vault.seal(value.getBytes(StandardCharsets.UTF_8), ref);
        db.execute(
                "INSERT INTO sealed_secret(owner_kind, owner_id, field, key_id, ciphertext, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                ref.ownerKind(),
                ref.ownerId(),
                ref.field(),
                vault.keyIdOf(ciphertext),
                ciphertext,
                T);
    }

    /** Rows as comparable values (ciphertexts in hex), limited to the columns a table had before V4. */
    private static List<Map<String, Object>> rows(HomeDatabase db, String table, List<String> columns) {
        return db.rows(table).stream()
                .map(row -> {
                    Map<String, Object> kept = new LinkedHashMap<>();
                    for (String column : columns) {
                        Object value = row.get(column);
                        kept.put(
                                column,
                                value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value);
                    }
                    return kept;
                })
                .toList();
    }

    @Test
    void everyRowSurvivesAndTheSchemaStillRefusesOrphans() throws Exception {
        HomeDatabase db = homeBeforeV4();
        Map<String, List<Map<String, Object>>> before = new LinkedHashMap<>();
        for (String table : TABLES) {
            List<String> columns = List.copyOf(db.rows(table).getFirst().keySet());
            before.put(table, rows(db, table, columns));
        }

        d.start();

        before.forEach((table, rows) -> {
            List<String> columns = List.copyOf(rows.getFirst().keySet());
            assertThat(rows(db, table, columns)).as(table).containsAll(rows);
        });
        assertThat(db.count("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1"))
                .isGreaterThanOrEqualTo(4);
        assertThat(expect(200, d.send("POST", "/v1/credentials/forge/token", "{}"))
                        .json()
                        .path("token")
                        .asString())
                .isEqualTo("forge-secret-before-v4");
        assertThat(expect(200, d.send("GET", "/v1/workspaces/agents", null))
                        .json()
                        .path("grants"))
                .hasSize(2);

        for (String child : List.of("credential", "login_session", "workspace_grant")) {
            assertThat(db.count("SELECT COUNT(*) FROM pragma_foreign_key_list(?)", child))
                    .as(child + " still has its foreign keys")
                    .isPositive();
            assertThat(db.count(
                            "SELECT COUNT(*) FROM pragma_foreign_key_list(?) WHERE on_delete <> 'NO ACTION'", child))
                    .as(child + " cascades nothing")
                    .isZero();
        }
        assertThatThrownBy(() -> db.execute(
                        "INSERT INTO credential(provider, state, updated_at) VALUES ('ghost', 'connected', 1)"))
                .hasMessageContaining("FOREIGN KEY");
        assertThatThrownBy(() -> db.execute("DELETE FROM provider WHERE name = 'gh'"))
                .as("a provider that still has rows hanging on it")
                .hasMessageContaining("FOREIGN KEY");
        assertThatThrownBy(() -> db.execute("DELETE FROM workspace WHERE id = 'ws_1'"))
                .hasMessageContaining("FOREIGN KEY");
    }
}
