package io.authrelay.core.credential;

import static io.authrelay.core.fake.InMemoryCore.PROVIDER;
import static io.authrelay.core.fake.ScriptedDeviceFlowClient.oauthError;
import static io.authrelay.core.fake.ScriptedDeviceFlowClient.tokens;
import static io.authrelay.core.fake.ScriptedDeviceFlowClient.unavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import io.authrelay.core.fake.InMemoryCore;
import io.authrelay.core.vault.SecretRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The refresher against in-memory ports; the clock only moves when a test moves it. */
class CredentialRefresherTest {
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final InMemoryCore core = new InMemoryCore();

    /** Connected an hour ago with a token that has just expired, so the next read must refresh. */
    @BeforeEach
    void connectWithAnExpiredToken() {
        core.connect("old-access", "old-refresh", LIFETIME);
        core.clock.advance(LIFETIME);
    }

    @Test
    @Timeout(60) // a hang guard: the callers wait on each other, never on the clock
    void twentyConcurrentCallersShareOneProviderRefresh() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        core.client.answerRefresh(() -> {
            await(release);
            return tokens("new-access", "new-refresh", core.clock.instant().plus(LIFETIME));
        });
        CredentialRefresher refresher = core.refresher();
        Queue<String> handedOut = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(Thread.ofPlatform()
                    .start(() ->
                            handedOut.add(refresher.freshAccessToken(PROVIDER).value())));
        }
        // One caller waits in the provider, the other nineteen on its result.
        awaitAllWaiting(callers);
        release.countDown();
        for (Thread caller : callers) caller.join();

        assertThat(core.client.refreshCalls()).isEqualTo(1);
        assertThat(handedOut).hasSize(20).containsOnly("new-access");
        assertThat(core.observer.refreshes()).containsExactly("ok");
        assertThat(core.stored(SecretRef.credentialRefresh(PROVIDER))).isEqualTo("new-refresh");
    }

    @Test
    @Timeout(60) // a hang guard, as above
    void aSecondReplicaWaitsForTheLeaseHolderAndHandsOutItsToken() throws Exception {
        CountDownLatch inProvider = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        core.client.answerRefresh(() -> {
            inProvider.countDown();
            await(release);
            return tokens("new-access", "new-refresh", core.clock.instant().plus(LIFETIME));
        });
        Queue<String> handedOut = new ConcurrentLinkedQueue<>();
        Thread first = Thread.ofPlatform()
                .start(() -> handedOut.add(
                        core.refresher().freshAccessToken(PROVIDER).value()));
        inProvider.await();
        Thread second = Thread.ofPlatform()
                .start(() -> handedOut.add(
                        core.refresher().freshAccessToken(PROVIDER).value()));
        core.credentials.awaitRefusedClaim();
        release.countDown();
        first.join();
        second.join();

        assertThat(core.client.refreshCalls()).isEqualTo(1);
        assertThat(handedOut).containsExactly("new-access", "new-access");
    }

    @Test
    @Timeout(60) // a hang guard, as above
    void aLeaseLeftByAReplicaThatDiedLapsesAndAnotherRefreshes() throws Exception {
        Instant now = core.clock.instant();
        core.credentials.claimRefresh(PROVIDER, core.credential().version(), "dead-replica", now.plusSeconds(30), now);
        core.client.answerRefresh(
                () -> tokens("new-access", "new-refresh", core.clock.instant().plus(LIFETIME)));
        Queue<String> handedOut = new ConcurrentLinkedQueue<>();
        Thread survivor = Thread.ofPlatform()
                .start(() -> handedOut.add(
                        core.refresher().freshAccessToken(PROVIDER).value()));
        core.credentials.awaitRefusedClaim();
        core.clock.advance(Duration.ofSeconds(31));
        survivor.join();

        assertThat(handedOut).containsExactly("new-access");
        assertThat(core.client.refreshCalls()).isEqualTo(1);
    }

    @Test
    void aRefreshThatLosesTheRaceToSaveHandsOutTheWinnersToken() {
        core.client.answerRefresh(() -> {
            core.connect("winner-access", "winner-refresh", LIFETIME);
            return tokens("loser-access", "loser-refresh", core.clock.instant().plus(LIFETIME));
        });

        assertThat(core.refresher().freshAccessToken(PROVIDER).value()).isEqualTo("winner-access");
        assertThat(core.observer.refreshes()).containsExactly("lost_race");
        assertThat(core.stored(SecretRef.credentialRefresh(PROVIDER))).isEqualTo("winner-refresh");
    }

    @Test
    void aRejectedRefreshIsALostRaceWhenTheRereadShowsAnotherReplicaRefreshed() {
        core.client.answerRefresh(() -> {
            core.refreshElsewhere("winner-access", "winner-refresh");
            return oauthError("invalid_grant");
        });

        assertThat(core.refresher().freshAccessToken(PROVIDER).value()).isEqualTo("winner-access");
        assertThat(core.credential().state()).isEqualTo(CredentialState.CONNECTED);
        assertThat(core.observer.refreshes()).containsExactly("lost_race");
        assertThat(core.audit.actions()).doesNotContain("credential.needs_reauth");
    }

    @Test
    void aRejectedRefreshThatNobodyElseWonNeedsANewLogin() {
        core.client.answerRefresh(() -> oauthError("invalid_grant"));

        assertThatThrownBy(() -> core.refresher().freshAccessToken(PROVIDER))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("needs_reauth"));
        assertThat(core.credential().state()).isEqualTo(CredentialState.NEEDS_REAUTH);
        assertThat(core.credential().lastError()).contains("invalid_grant");
        assertThat(core.observer.refreshes()).containsExactly("rejected");
        assertThat(core.audit.actions()).contains("credential.needs_reauth");
        // Later readers are refused without asking the provider again.
        assertThatThrownBy(() -> core.refresher().freshAccessToken(PROVIDER)).isInstanceOf(DomainException.class);
        assertThat(core.client.refreshCalls()).isEqualTo(1);
    }

    @Test
    void aTransientFailureKeepsTheConnectionAndRetriesAfterADoublingCooldown() {
        core.client.answerRefresh(() -> unavailable());
        CredentialRefresher refresher = core.refresher();
        Instant now = core.clock.instant();

        assertThat(refresher.refreshAhead(PROVIDER)).contains(now.plusSeconds(30));
        assertThat(refresher.refreshAhead(PROVIDER)).contains(now.plusSeconds(60));
        assertThat(core.credential().state()).isEqualTo(CredentialState.CONNECTED);
        assertThat(core.credential().refreshFailures()).isEqualTo(2);
        assertThat(core.credential().lastError()).isEqualTo("refresh failed: HTTP 503");
        assertThat(core.observer.refreshes()).containsExactly("transient", "transient");
        assertThat(core.stored(SecretRef.credentialAccess(PROVIDER))).isEqualTo("old-access");
    }

    @Test
    void aScheduledRefreshRunsNextAheadOfTheNewExpiry() {
        Instant now = core.clock.instant();
        core.client.answerRefresh(() -> tokens("new-access", "new-refresh", now.plus(LIFETIME)));

        Instant tenMinutesAhead = now.plus(LIFETIME).minus(Duration.ofMinutes(10));
        assertThat(core.refresher().refreshAhead(PROVIDER)).contains(tenMinutesAhead);
        assertThat(core.scheduler.refreshAt(PROVIDER)).isEqualTo(tenMinutesAhead);
        assertThat(core.credential().refreshFailures()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAllWaiting(List<Thread> threads) {
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) Thread.yield();
    }
}
