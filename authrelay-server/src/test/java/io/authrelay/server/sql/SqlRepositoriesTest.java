package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.apitoken.ApiToken;
import io.authrelay.core.auth.Scope;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.login.LoginSession;
import io.authrelay.core.login.LoginStatus;
import io.authrelay.core.net.HostName;
import io.authrelay.core.provider.Degradation;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.timeline.TimelineEvent;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.workspace.Grant;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.server.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every repository's statements, one SQL text each, against SQLite and PostgreSQL: upserts, compare-and-swap, the
 * refresh claim, null-safe comparisons, bytes, conflicts that insert nothing, foreign keys that refuse without cascading,
 * and texts cut to their columns.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class SqlRepositoriesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private Database db;
    private SqlProviderRepository providers;
    private SqlCredentialRepository credentials;

    @BeforeEach
    void open() {
        db = database.open(dir);
        providers = new SqlProviderRepository(db);
        credentials = new SqlCredentialRepository(db);
        assertThat(providers.insert(provider("gh"))).isTrue();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static LoginSession pendingSession(String id, LoginStatus status) {
        return new LoginSession(
                id,
                "gh",
                status,
                "ABCD-EFGH",
                "https://example.com/device",
                null,
                NOW.plusSeconds(900),
                Duration.ofSeconds(5),
                NOW.plusSeconds(5),
                0,
                0,
                null,
                null,
                null,
                NOW,
                NOW);
    }

    private static Provider provider(String name) {
        return new Provider(name, ProviderKind.STATIC, "git.example.test", "bot", null, NOW, null, false);
    }

    @Test
    void providersInsertOnceUpdateInPlaceAndCutTheirDegradedReason() {
        assertThat(providers.insert(provider("gh"))).isFalse();
        Provider degraded = new Provider(
                "gh",
                ProviderKind.STATIC,
                "git.example.test",
                null,
                null,
                NOW,
                new Degradation("x".repeat(5000), NOW),
                true);
        assertThat(providers.update(degraded)).isTrue();
        Provider read = providers.list().getFirst();
        assertThat(read.username()).isNull();
        assertThat(read.allowHttp()).isTrue();
        assertThat(read.degradation().reason()).hasSize(1024).endsWith(BoundedText.MARK);
        assertThat(read.degradation().since()).isEqualTo(NOW);
    }

    @Test
    void credentialsUpsertCompareAndSwapAndClaimTheirRefresh() {
        credentials.upsert(Credential.fresh("gh", "octocat", "repo", NOW.plusSeconds(3600), true, NOW));
        credentials.upsert(Credential.fresh("gh", "octocat", "repo gist", NOW.plusSeconds(7200), true, NOW));
        Credential c = credentials.find("gh").orElseThrow();
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.scopes()).isEqualTo("repo gist");
        assertThat(c.refreshable()).isTrue();

        assertThat(credentials.claimRefresh("gh", 2, "replica-a", NOW.plusSeconds(30), NOW))
                .isTrue();
        assertThat(credentials.claimRefresh("gh", 2, "replica-b", NOW.plusSeconds(30), NOW))
                .isFalse();
        assertThat(credentials.claimRefresh("gh", 2, "replica-b", NOW.plusSeconds(90), NOW.plusSeconds(31)))
                .as("an expired claim is taken over")
                .isTrue();
        credentials.releaseRefresh("gh", "replica-b");
        assertThat(credentials.claimRefresh("gh", 2, "replica-a", NOW.plusSeconds(30), NOW))
                .isTrue();

        Credential failed = c.failed(CredentialState.NEEDS_REAUTH, "e".repeat(3000), NOW);
        assertThat(credentials.compareAndSet(failed, 1)).isFalse();
        assertThat(credentials.compareAndSet(failed, 2)).isTrue();
        Credential read = credentials.list().getFirst();
        assertThat(read.state()).isEqualTo(CredentialState.NEEDS_REAUTH);
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.lastError()).hasSize(1024);
        assertThat(credentials.delete("gh")).isTrue();
        assertThat(credentials.find("gh")).isEmpty();
    }

    @Test
    void theSchemaRefusesOrphansAndTheDeletionOfAProviderInUseWithoutCascading() {
        credentials.upsert(Credential.fresh("gh", "octocat", "repo", null, false, NOW));
        assertThatThrownBy(() -> credentials.upsert(Credential.fresh("nosuch", "x", null, null, false, NOW)))
                .isInstanceOf(JdbiException.class);
        assertThatThrownBy(() -> providers.delete("gh")).isInstanceOf(JdbiException.class);
        assertThat(credentials.find("gh")).isPresent();
        assertThat(credentials.delete("gh")).isTrue();
        assertThat(providers.delete("gh")).isTrue();
    }

    @Test
    void loginSessionsUpdateOnlyWhileActiveAndListWithOrWithoutAProvider() {
        var sessions = new SqlLoginSessionRepository(db);
        LoginSession s = pendingSession("ses_1", LoginStatus.PENDING);
        assertThat(sessions.insertIfNoneActive(s)).isTrue();
        assertThat(sessions.findActive("gh")).isPresent();
        // One active login per provider, held by the database (two replicas may start one at once).
        LoginSession second = pendingSession("ses_2", LoginStatus.AWAITING_USER);
        assertThat(sessions.insertIfNoneActive(second)).isFalse();
        assertThat(sessions.find("ses_2")).isEmpty();
        assertThat(sessions.recent(null, 10)).hasSize(1);
        assertThat(sessions.recent("gh", 10)).hasSize(1);
        assertThat(sessions.recent("other", 10)).isEmpty();
        assertThat(sessions.countActive()).isEqualTo(1);

        LoginSession failed = s.withStatus(LoginStatus.FAILED, "bad\0answer " + "r".repeat(4000), NOW.plusSeconds(10));
        assertThat(sessions.updateIfActive(failed)).isTrue();
        assertThat(sessions.updateIfActive(failed)).as("no longer active").isFalse();
        LoginSession read = sessions.find("ses_1").orElseThrow();
        assertThat(read.status()).isEqualTo(LoginStatus.FAILED);
        assertThat(read.reason()).hasSize(1024).startsWith("bad\uFFFDanswer r");
        assertThat(sessions.active()).isEmpty();
        assertThat(sessions.deleteFor("gh")).isEqualTo(1);
    }

    @Test
    void theTimelineFoldsRepeatsWithNullSessionsStatusesAndCodes() {
        var timeline = new SqlTimeline(db);
        for (int i = 0; i < 3; i++) timeline.record(null, "gh", NOW, "refresh", null, null, "no status " + i);
        timeline.record(null, "gh", NOW, "refresh", 400, null, "a status");
        timeline.record(null, "gh", NOW, "refresh", 400, null, "the same status");
        timeline.record("ses_1", "gh", NOW, "poll", 400, "authorization_pending", "pending");
        timeline.record("ses_1", "gh", NOW, "poll", 400, "authorization_pending", "pending");
        timeline.record("ses_1", "gh", NOW, "poll", 400, "slow_down", "slow");

        assertThat(timeline.forProvider("gh", 10))
                .extracting(TimelineEvent::count)
                .containsExactly(3, 2, 2, 1);
        assertThat(timeline.forSession("ses_1", 10))
                .extracting(TimelineEvent::code)
                .containsExactly("authorization_pending", "slow_down");
        timeline.forget("gh");
        assertThat(timeline.forProvider("gh", 10)).isEmpty();
    }

    @Test
    void sealedSecretsKeepTheirBytesAndSwapOnlyTheExpectedCiphertext() {
        var sealed = new SqlSealedSecretRepository(db, Clock.fixed(NOW, ZoneOffset.UTC));
        SecretRef ref = new SecretRef("credential", "gh", "access_token");
        byte[] first = {0, 1, 2, (byte) 0xff, 0};
        byte[] second = {9, 8, 7};
        sealed.upsert(ref, 1, first);
        sealed.upsert(ref, 1, first);
        assertThat(sealed.find(ref)).hasValueSatisfying(b -> assertThat(b).isEqualTo(first));
        assertThat(sealed.countByKey()).isEqualTo(Map.of(1L, 1L));
        assertThat(sealed.refsNotSealedBy(2)).containsExactly(ref);
        assertThat(sealed.compareAndSwap(ref, second, 2, second)).isFalse();
        assertThat(sealed.compareAndSwap(ref, first, 2, second)).isTrue();
        assertThat(sealed.refsNotSealedBy(2)).isEmpty();
        assertThat(sealed.delete(ref)).isTrue();
        assertThat(sealed.find(ref)).isEmpty();
    }

    @Test
    void workspacesApiTokensAndTheAdminCredential() {
        var workspaces = new SqlWorkspaceRepository(db);
        List<Grant> grants = List.of(
                new Grant("gh", HostName.parse("git.example.test"), "team/*", true),
                new Grant("gh", HostName.parse("git.example.test"), null, false));
        Workspace w = new Workspace("ws_1", "build", "hash-1", grants, null, null, NOW, NOW);
        assertThat(workspaces.insert(w)).isTrue();
        assertThat(workspaces.insert(new Workspace("ws_2", "build", "hash-2", grants, null, null, NOW, NOW)))
                .isFalse();
        assertThat(workspaces.findByTokenHash("hash-1").orElseThrow().grants()).isEqualTo(grants);
        assertThat(workspaces.grantHolders("gh")).containsExactly("build", "build");
        assertThat(workspaces.revoke("build", NOW)).isTrue();
        assertThat(workspaces.findByName("build").orElseThrow().isRevoked()).isTrue();
        assertThat(workspaces.replaceToken("build", "hash-3", NOW.plusSeconds(60), NOW))
                .isTrue();
        assertThat(workspaces.findByTokenHash("hash-3").orElseThrow().isRevoked())
                .isFalse();
        assertThat(workspaces.deleteGrants("gh")).isEqualTo(2);
        assertThat(workspaces.delete("ws_1")).isTrue();

        var tokens = new SqlApiTokenRepository(db);
        ApiToken t = new ApiToken("tok_1", "scraper", Scope.METRICS, "thash", NOW, null, null);
        assertThat(tokens.insert(t)).isTrue();
        assertThat(tokens.insert(t)).isFalse();
        tokens.recordUse("tok_1", NOW.plusSeconds(5), NOW);
        assertThat(tokens.findByTokenHash("thash").orElseThrow().lastUsedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(tokens.revoke("scraper", NOW)).isTrue();
        assertThat(tokens.revoke("scraper", NOW)).isFalse();

        var admin = new SqlAdminCredential(db);
        assertThat(admin.tokenHash()).isEmpty();
        admin.replace("h1", NOW);
        admin.replace("h2", NOW);
        assertThat(admin.tokenHash()).contains("h2");
    }
}
