package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.credential.Credential;
import io.authrelay.core.net.HostName;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import io.authrelay.core.workspace.Grant;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.server.testing.Await;
import io.authrelay.server.testing.TestPostgres;
import io.authrelay.server.vault.TinkVault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas' stores on one PostgreSQL database (two pools, as two daemons have): a revocation on one is seen by the
 * other's very next read whatever it cached, other writes reach its caches by notification, and a lost notification
 * connection is noticed, reported and recovered from.
 */
class CacheSyncTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private String url;
    private Database a;
    private Database b;
    private CacheNotifications listenerOfB;

    @BeforeEach
    void open() {
        url = TestPostgres.freshDatabase();
        a = Database.openPostgres(url, TestPostgres.PASSWORD);
        b = Database.openPostgres(url, TestPostgres.PASSWORD);
        new SqlProviderRepository(a).insert(provider("gh"));
    }

    @AfterEach
    void close() {
        if (listenerOfB != null) listenerOfB.close();
        a.close();
        b.close();
        TestPostgres.drop(url);
    }

    @Test
    void aRevocationOnOneReplicaRefusesTheOtherReplicasNextReadEvenWithoutNotifications() {
        // No listener on b: only the revocation epoch can tell it, and it must, on the very next read.
        var workspacesOfA = new SqlWorkspaceRepository(a);
        var workspacesOfB = new SqlWorkspaceRepository(b);
        workspacesOfA.insert(workspace("build", "hash-1"));
        assertThat(workspacesOfB.findByTokenHash("hash-1").orElseThrow().isRevoked())
                .isFalse(); // now cached on b

        assertThat(workspacesOfA.revoke("build", NOW)).isTrue();
        assertThat(workspacesOfB.findByTokenHash("hash-1").orElseThrow().isRevoked())
                .isTrue();

        // A rotated token: the old hash is gone on b at once.
        workspacesOfA.replaceToken("build", "hash-2", null, NOW);
        assertThat(workspacesOfB.findByTokenHash("hash-1")).isEmpty();

        // A grant taken away, and a credential removed: the vend that follows on b sees neither.
        workspacesOfA.replaceGrants(workspaceId(workspacesOfA, "build"), List.of(), NOW);
        var credentialsOfA = new SqlCredentialRepository(a);
        var credentialsOfB = new SqlCredentialRepository(b);
        credentialsOfA.upsert(Credential.fresh("gh", "octocat", "repo", null, false, NOW));
        assertThat(credentialsOfB.find("gh")).isPresent(); // cached on b
        credentialsOfA.delete("gh");
        assertThat(workspacesOfB.findByTokenHash("hash-2").orElseThrow().grants())
                .isEmpty();
        assertThat(credentialsOfB.find("gh")).isEmpty();
    }

    @Test
    void aSecretOpenedOnOneReplicaIsNotServedOnceTheOtherDeletesItAndAReplacementIsOpenedAnew() {
        // Both replicas open secrets with one keyset, as replicas do; b has no listener, so only the epoch tells it.
        TinkVault vault = TinkVault.open(dir.resolve("keyset.json"), true);
        var secretsOfA = new SecretStore(vault, new SqlSealedSecretRepository(a, Clock.systemUTC()));
        var secretsOfB = new SecretStore(vault, new SqlSealedSecretRepository(b, Clock.systemUTC()));
        SecretRef ref = SecretRef.credentialAccess("gh");
        secretsOfA.put(ref, new Secret("first-secret-value-1"));
        assertThat(secretsOfB.get(ref).orElseThrow().value()).isEqualTo("first-secret-value-1");
        assertThat(secretsOfB.get(ref).orElseThrow().value()).isEqualTo("first-secret-value-1"); // opened, cached

        assertThat(secretsOfA.delete(ref)).isTrue(); // a revocation: the epoch moves
        b.checkRevocations(); // as every vend does first, when it looks up the workspace token
        assertThat(secretsOfB.get(ref)).isEmpty();

        secretsOfA.put(ref, new Secret("second-secret-value-2"));
        b.checkRevocations();
        assertThat(secretsOfB.get(ref).orElseThrow().value()).isEqualTo("second-secret-value-2");
        // The same plaintext sealed again is another ciphertext: still opened correctly, never a stale entry.
        secretsOfA.delete(ref);
        secretsOfA.put(ref, new Secret("first-secret-value-1"));
        b.checkRevocations();
        assertThat(secretsOfB.get(ref).orElseThrow().value()).isEqualTo("first-secret-value-1");
    }

    @Test
    void otherWritesReachTheOtherReplicasCacheByNotification() {
        listenerOfB = CacheNotifications.start(b);
        Await.until(() -> b.caches().isListening());
        var credentialsOfA = new SqlCredentialRepository(a);
        var credentialsOfB = new SqlCredentialRepository(b);
        credentialsOfA.upsert(Credential.fresh("gh", "octocat", "repo", null, false, NOW));
        assertThat(credentialsOfB.find("gh").orElseThrow().account()).isEqualTo("octocat"); // cached on b

        // Not a revocation (the epoch does not move): only the notification can drop b's entry before its TTL.
        credentialsOfA.upsert(Credential.fresh("gh", "hubot", "repo", null, false, NOW));
        Await.until(() -> credentialsOfB.find("gh").orElseThrow().account().equals("hubot"));
        assertThat(b.caches().ttlNanos()).isEqualTo(CacheSync.NOTIFIED_TTL_MILLIS * 1_000_000L);
    }

    @Test
    void aWriteThatRollsBackNotifiesNobody() {
        var workspacesOfA = new SqlWorkspaceRepository(a);
        var workspacesOfB = new SqlWorkspaceRepository(b);
        workspacesOfA.insert(workspace("build", "hash-1"));
        long epochBefore = epoch();
        try {
            a.inTransaction(() -> {
                workspacesOfA.revoke("build", NOW);
                throw new IllegalStateException("crash half-way");
            });
        } catch (IllegalStateException expected) {
            // the revocation rolled back with its epoch
        }
        assertThat(epoch()).isEqualTo(epochBefore);
        assertThat(workspacesOfB.findByTokenHash("hash-1").orElseThrow().isRevoked())
                .isFalse();
    }

    @Test
    void aLostNotificationConnectionFallsBackToTheShortTtlIsCountedAndComesBack() {
        listenerOfB = CacheNotifications.start(b);
        Await.until(() -> b.caches().isListening());
        long lostBefore = b.caches().notificationsLost();

        // The server ends the listening connection, as a failover or an idle-session killer would.
        a.with(h -> h.createQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE query LIKE 'LISTEN%' AND datname = current_database()")
                .mapTo(Boolean.class)
                .list());
        Await.until(() -> b.caches().notificationsLost() > lostBefore);
        // Back, and every cache dropped on the way (what was sent meanwhile is lost).
        Await.until(() -> b.caches().isListening());

        var credentialsOfA = new SqlCredentialRepository(a);
        var credentialsOfB = new SqlCredentialRepository(b);
        credentialsOfA.upsert(Credential.fresh("gh", "octocat", "repo", null, false, NOW));
        assertThat(credentialsOfB.find("gh")).isPresent();
        credentialsOfA.upsert(Credential.fresh("gh", "hubot", "repo", null, false, NOW));
        Await.until(() -> credentialsOfB.find("gh").orElseThrow().account().equals("hubot"));
    }

    @Test
    void onSqliteNothingIsNotifiedAndTheEpochIsNotRead() {
        try (Database sqlite = Database.openSqlite(dir.resolve("authrelay.db"))) {
            assertThat(sqlite.isShared()).isFalse();
            assertThat(CacheNotifications.start(sqlite)).isNull();
            var workspaces = new SqlWorkspaceRepository(sqlite);
            new SqlProviderRepository(sqlite).insert(provider("gh"));
            workspaces.insert(workspace("build", "hash-1"));
            // pg_notify does not exist on SQLite: a revocation that tried it would fail here.
            assertThat(workspaces.revoke("build", NOW)).isTrue();
            assertThat(workspaces.findByTokenHash("hash-1").orElseThrow().isRevoked())
                    .isTrue();
        }
    }

    private long epoch() {
        return a.with(h ->
                h.createQuery("SELECT epoch FROM cache_epoch").mapTo(Long.class).one());
    }

    private static String workspaceId(SqlWorkspaceRepository workspaces, String name) {
        return workspaces.findByName(name).orElseThrow().id();
    }

    private static Workspace workspace(String name, String hash) {
        List<Grant> grants = List.of(new Grant("gh", HostName.parse("git.example.test"), null, false));
        return new Workspace("ws_" + name, name, hash, grants, null, null, NOW, NOW);
    }

    private static Provider provider(String name) {
        return new Provider(name, ProviderKind.STATIC, "git.example.test", "bot", null, NOW, null, false);
    }
}
