package io.authrelay.core.login;

import static io.authrelay.core.fake.InMemoryCore.PROVIDER;
import static io.authrelay.core.fake.ScriptedDeviceFlowClient.oauthError;
import static io.authrelay.core.fake.ScriptedDeviceFlowClient.tokens;
import static io.authrelay.core.fake.ScriptedDeviceFlowClient.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.fake.InMemoryCore;
import io.authrelay.core.fake.ScriptedDeviceFlowClient;
import io.authrelay.core.vault.SecretRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One RFC 8628 poll at a time against a scripted provider; the clock only moves when a test moves it. */
class LoginPollerTest {
    private static final Duration PADDED_INTERVAL = Duration.ofSeconds(6); // 5 s plus 1 s for clock drift

    private final InMemoryCore core = new InMemoryCore();
    private LoginPoller poller = core.poller(PollPolicy.defaults());
    private LoginSession session;

    @BeforeEach
    void startALogin() {
        session = core.logins().start(PROVIDER, Actor.system()).session();
    }

    @Test
    void aPendingAnswerWaitsTheIntervalPaddedForClockDrift() {
        core.client.answerPolls(oauthError("authorization_pending"));

        assertThat(pollNow()).contains(core.clock.instant().plus(PADDED_INTERVAL));
        assertThat(stored().status()).isEqualTo(LoginStatus.AWAITING_USER);
        assertThat(stored().polls()).isEqualTo(1);
    }

    @Test
    void slowDownAddsFiveSecondsToTheIntervalForGood() {
        core.client.answerPolls(oauthError("slow_down"), oauthError("authorization_pending"));

        Instant next = pollNow().orElseThrow();
        assertThat(next).isEqualTo(core.clock.instant().plusSeconds(12)); // 10 s plus 2 s for drift
        assertThat(stored().interval()).isEqualTo(Duration.ofSeconds(10));
        core.clock.set(next);
        assertThat(pollNow()).contains(next.plusSeconds(12));
        assertThat(stored().interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void accessDeniedEndsTheLoginAsDenied() {
        core.client.answerPolls(oauthError("access_denied"));

        assertThat(pollNow()).isEmpty();
        assertEnded(LoginStatus.DENIED, "the user denied the request");
    }

    @Test
    void expiredTokenEndsTheLoginAsExpired() {
        core.client.answerPolls(oauthError("expired_token"));

        assertThat(pollNow()).isEmpty();
        assertEnded(LoginStatus.EXPIRED, "the code expired before it was approved");
    }

    @Test
    void invalidGrantWithinSecondsOfTheCodesExpiryMeansItExpired() {
        core.clock.set(session.expiresAt().minusSeconds(3));
        core.client.answerPolls(oauthError("invalid_grant"));

        assertThat(pollNow()).isEmpty();
        assertEnded(LoginStatus.EXPIRED, "the code expired before it was approved");
    }

    @Test
    void invalidGrantWellBeforeTheCodesExpiryFailsTheLogin() {
        core.client.answerPolls(oauthError("invalid_grant"));

        assertThat(pollNow()).isEmpty();
        assertEnded(LoginStatus.FAILED, "the provider rejected the device code (invalid_grant)");
    }

    @Test
    void transientFailuresBackOffExponentiallyWithJitterUpToTheCap() {
        poller = core.poller(new PollPolicy(10, Duration.ofSeconds(20)));
        long[] backoffSeconds = {5, 10, 20, 20}; // the interval doubled per failure, capped at 20 s
        for (long backoff : backoffSeconds) {
            core.client.answerPolls(unavailable());
            Instant now = core.clock.instant();
            Instant next = pollNow().orElseThrow();
            // Never sooner than the padded interval; at most a quarter of the backoff later for jitter.
            Instant earliest = now.plus(PADDED_INTERVAL).isAfter(now.plusSeconds(backoff))
                    ? now.plus(PADDED_INTERVAL)
                    : now.plusSeconds(backoff);
            assertThat(next).isBetween(earliest, now.plusMillis(backoff * 1250));
            core.clock.set(next);
        }
        assertThat(stored().consecutiveFailures()).isEqualTo(4);
        assertThat(stored().status()).isEqualTo(LoginStatus.PENDING);
    }

    @Test
    void anAnswerAfterTransientFailuresResetsTheirCount() {
        core.client.answerPolls(unavailable(), oauthError("authorization_pending"));
        core.clock.set(pollNow().orElseThrow());
        pollNow();

        assertThat(stored().consecutiveFailures()).isZero();
    }

    @Test
    void tooManyTransientFailuresInARowFailTheLogin() {
        poller = core.poller(new PollPolicy(3, Duration.ofSeconds(2)));
        core.client.answerPolls(unavailable(), unavailable(), unavailable());

        core.clock.set(pollNow().orElseThrow());
        core.clock.set(pollNow().orElseThrow());
        assertThat(pollNow()).isEmpty();
        assertEnded(LoginStatus.FAILED, "3 polls in a row failed; last: HTTP 503");
    }

    @Test
    void theLastPollHappensAtTheCodesExpiryAndNoneAfterIt() {
        core.clock.set(session.expiresAt().minusSeconds(2));
        core.client.answerPolls(oauthError("authorization_pending"));

        assertThat(pollNow()).contains(session.expiresAt());
        core.clock.set(session.expiresAt());
        assertThat(pollNow()).isEmpty();
        assertThat(core.client.pollCalls()).isEqualTo(1);
        assertEnded(LoginStatus.EXPIRED, "the code expired before it was approved");
    }

    @Test
    void aTransientBackoffNeverReachesPastTheCodesExpiry() {
        core.clock.set(session.expiresAt().minusSeconds(3));
        core.client.answerPolls(unavailable());

        assertThat(pollNow()).contains(session.expiresAt());
    }

    @Test
    void tokensConnectTheProviderAndScheduleTheirRefresh() {
        Instant now = core.clock.instant();
        core.client.answerPolls(tokens("access", "refresh", now.plus(Duration.ofHours(8))));

        assertThat(pollNow()).isEmpty();
        assertThat(stored().status()).isEqualTo(LoginStatus.CONNECTED);
        assertThat(stored().account()).isEqualTo(ScriptedDeviceFlowClient.ACCOUNT);
        assertThat(core.credential().account()).isEqualTo(ScriptedDeviceFlowClient.ACCOUNT);
        assertThat(core.stored(SecretRef.credentialAccess(PROVIDER))).isEqualTo("access");
        assertThat(core.stored(SecretRef.deviceCode(session.id()))).isNull();
        // Retired from the log redactor too: its list does not grow with every login a daemon has seen.
        String deviceCode = "device-code-of-" + PROVIDER;
        assertThat(io.authrelay.core.redaction.SecretRedactor.redact(deviceCode))
                .isEqualTo(deviceCode);
        assertThat(core.scheduler.refreshAt(PROVIDER))
                .isEqualTo(now.plus(Duration.ofHours(8)).minusSeconds(48 * 60));
        assertThat(core.observer.loginsEnded()).containsExactly(LoginStatus.CONNECTED);
    }

    @Test
    void aPollWritesNothingUntilItsStepIsWritten() {
        core.client.answerPolls(oauthError("authorization_pending"));
        int timelineBefore = core.timeline.forSession(session.id(), 1000).size();

        PollStep step = poller.poll(session.id());

        assertThat(stored().polls()).isZero();
        assertThat(core.timeline.forSession(session.id(), 1000)).hasSize(timelineBefore);
        assertThat(core.context.tx().inTransaction(step::write))
                .contains(core.clock.instant().plus(PADDED_INTERVAL));
        assertThat(stored().polls()).isEqualTo(1);
        assertThat(core.timeline.forSession(session.id(), 1000)).hasSize(timelineBefore + 1);
    }

    @Test
    void anEndingCountsAndSchedulesTheRefreshOnlyOnceItsWritesAreCommitted() {
        Instant now = core.clock.instant();
        core.client.answerPolls(tokens("access", "refresh", now.plus(Duration.ofHours(8))));

        PollStep step = poller.poll(session.id());
        assertThat(core.context.tx().inTransaction(step::write)).isEmpty();
        assertThat(core.observer.loginsEnded()).isEmpty();
        assertThat(core.scheduler.refreshAt(PROVIDER)).isNull();

        step.committed();
        assertThat(core.observer.loginsEnded()).containsExactly(LoginStatus.CONNECTED);
        assertThat(core.scheduler.refreshAt(PROVIDER)).isNotNull();
    }

    @Test
    void aSecondPollOfAnEndedLoginEndsNothingTwice() {
        core.client.answerPolls(oauthError("access_denied"), oauthError("access_denied"));
        // Two polls of one login decided before either wrote: as after a crash between the answer and the commit.
        PollStep first = poller.poll(session.id());
        PollStep second = poller.poll(session.id());

        for (PollStep step : new PollStep[] {first, second}) {
            core.context.tx().inTransaction(step::write);
            step.committed();
        }

        assertEnded(LoginStatus.DENIED, "the user denied the request");
    }

    private Optional<Instant> pollNow() {
        return poller.pollOnce(session.id());
    }

    private LoginSession stored() {
        return core.sessions.find(session.id()).orElseThrow();
    }

    private void assertEnded(LoginStatus status, String reason) {
        assertThat(stored().status()).isEqualTo(status);
        assertThat(stored().reason()).isEqualTo(reason);
        assertThat(core.stored(SecretRef.deviceCode(session.id()))).isNull();
        assertThat(core.observer.loginsEnded()).containsExactly(status);
        assertThat(core.audit.actions()).contains("login." + status.wireName());
        assertThat(core.audit.since(Instant.EPOCH, 100))
                .filteredOn(e -> e.action().equals("login." + status.wireName()))
                .allMatch(e -> e.result().equals(AuditLog.FAILED));
    }
}
