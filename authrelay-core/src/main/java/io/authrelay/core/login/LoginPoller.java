package io.authrelay.core.login;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.oauth.DeviceFlowClient;
import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One poll of one login, as RFC 8628 prescribes: wait the server's interval (padded), add 5 s for good on
 * slow_down, stop on access_denied and expired_token, never poll past the code's expiry, and back off
 * with jitter on transient failures until too many in a row end the login as failed.
 * Every step is persisted, so whichever replica runs the next poll continues from here. A poll is split in two:
 * {@link #poll} asks the provider and decides, the {@link PollStep} it returns writes, so a scheduler can commit many
 * logins' polls in one transaction.
 */
public final class LoginPoller {

    private final ServiceContext context;
    private final LoginSessionRepository sessions;
    private final ConnectionWriter writer;
    private final DeviceFlowClient client;
    private final CredentialRefresher refresher;
    private final LoginObserver observer;
    private final PollPolicy policy;

    public LoginPoller(
            ServiceContext context,
            LoginSessionRepository sessions,
            ConnectionWriter writer,
            DeviceFlowClient client,
            CredentialRefresher refresher,
            LoginObserver observer,
            PollPolicy policy) {
        this.context = context;
        this.sessions = sessions;
        this.writer = writer;
        this.client = client;
        this.refresher = refresher;
        this.observer = observer;
        this.policy = policy;
    }

    /**
     * Polls once and commits what the poll decided, alone.
     *
     * @return when to poll next, or empty when the login has ended
     */
    public Optional<Instant> pollOnce(String sessionId) {
        PollStep step = poll(sessionId);
        Optional<Instant> next = context.tx().inTransaction(step::write);
        step.committed();
        return next;
    }

    /**
     * Polls the provider once: reads and the provider's answer, no write. The step returned writes the outcome (the
     * timeline, the session's progress or ending) in whichever transaction its caller runs it.
     */
    public PollStep poll(String sessionId) {
        LoginSession session = sessions.find(sessionId).orElse(null);
        if (session == null || session.status().isTerminal()) return PollStep.NOTHING;
        Instant now = context.clock().instant();
        if (!now.isBefore(session.expiresAt())) {
            return finish(session, LoginStatus.EXPIRED, "the code expired before it was approved", now);
        }
        Provider provider;
        Secret deviceCode;
        try {
            provider = context.providers().get(session.provider());
            deviceCode = context.secrets().get(SecretRef.deviceCode(sessionId)).orElseThrow();
        } catch (RuntimeException e) {
            return finish(session, LoginStatus.FAILED, "the provider or the device code is gone", now);
        }
        Instant sent = context.clock().instant();
        ProviderResponse response = client.pollToken(provider, deviceCode);
        Instant answered = context.clock().instant();
        observer.polled(resultName(response), Duration.between(sent, answered));
        return switch (response) {
            case ProviderResponse.Tokens tokens -> connect(session, provider, tokens, answered);
            case ProviderResponse.OAuthError error -> onError(session, error, answered);
            case ProviderResponse.Transient failure -> onTransient(session, failure, answered);
        };
    }

    private PollStep onError(LoginSession session, ProviderResponse.OAuthError error, Instant now) {
        return switch (error.code()) {
            case "authorization_pending" ->
                continued(session, now, error, () -> next(session, error.code(), session.interval(), now));
            case "slow_down" ->
                continued(
                        session,
                        now,
                        error,
                        () -> next(session, error.code(), session.interval().plusSeconds(5), now));
            default -> ended(session, error, now);
        };
    }

    private PollStep ended(LoginSession session, ProviderResponse.OAuthError error, Instant now) {
        Runnable answer = () -> record(session, now, "poll", error.httpStatus(), error.code(), error.description());
        return switch (error.code()) {
            case "access_denied" -> finish(session, LoginStatus.DENIED, "the user denied the request", now, answer);
            case "expired_token" ->
                finish(session, LoginStatus.EXPIRED, "the code expired before it was approved", now, answer);
            // Some servers (Keycloak) purge expired codes and then answer invalid_grant.
            case "invalid_grant" ->
                now.isBefore(session.expiresAt().minusSeconds(5))
                        ? finish(
                                session,
                                LoginStatus.FAILED,
                                "the provider rejected the device code (invalid_grant)",
                                now,
                                answer)
                        : finish(session, LoginStatus.EXPIRED, "the code expired before it was approved", now, answer);
            default ->
                finish(
                        session,
                        LoginStatus.FAILED,
                        "the provider answered " + error.code()
                                + (error.description() == null ? "" : ": " + error.description()),
                        now,
                        answer);
        };
    }

    /**
     * A poll after which the login goes on: its timeline step and the session's progress are written together, in
     * the caller's one transaction (at thousands of pending logins each commit is a WAL fsync on SQLite).
     */
    private PollStep continued(
            LoginSession session,
            Instant now,
            ProviderResponse.OAuthError error,
            Supplier<Optional<Instant>> progress) {
        return PollStep.continuing(() -> {
            record(session, now, "poll", error.httpStatus(), error.code(), error.description());
            return progress.get();
        });
    }

    private PollStep onTransient(LoginSession session, ProviderResponse.Transient failure, Instant now) {
        int failures = session.consecutiveFailures() + 1;
        Runnable answer = () -> record(session, now, "poll", failure.httpStatus(), "transient", failure.reason());
        if (failures >= policy.maxConsecutiveFailures()) {
            return finish(
                    session,
                    LoginStatus.FAILED,
                    failures + " polls in a row failed; last: " + failure.reason(),
                    now,
                    answer);
        }
        long base =
                Math.min(policy.maxBackoff().toMillis(), session.interval().toMillis() << Math.min(failures - 1, 10));
        long jittered = base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
        Instant at = now.plusMillis(Math.max(
                jittered, LoginService.PollTiming.padded(session.interval()).toMillis()));
        if (at.isAfter(session.expiresAt())) at = session.expiresAt();
        LoginSession updated = session.afterPoll(
                session.status(), "transient: " + failure.reason(), session.interval(), at, failures, now);
        Instant nextAt = at;
        return PollStep.continuing(() -> {
            answer.run();
            return sessions.updateIfActive(updated) ? Optional.of(nextAt) : Optional.empty();
        });
    }

    private Optional<Instant> next(LoginSession session, String result, Duration interval, Instant now) {
        Instant at = now.plus(LoginService.PollTiming.padded(interval));
        // The last poll happens at expiry, to observe expired_token instead of guessing.
        if (at.isAfter(session.expiresAt())) at = session.expiresAt();
        LoginSession updated = session.afterPoll(LoginStatus.AWAITING_USER, result, interval, at, 0, now);
        return sessions.updateIfActive(updated) ? Optional.of(at) : Optional.empty();
    }

    private PollStep connect(LoginSession session, Provider provider, ProviderResponse.Tokens response, Instant now) {
        TokenSet tokens = response.tokens();
        Identity identity;
        Runnable identifyFailed = () -> {};
        try {
            identity = client.identify(provider, tokens);
        } catch (RuntimeException e) {
            // The token is what matters; never lose it because the identity endpoint hiccuped.
            identity = new Identity(
                    tokens.idTokenSubject() == null ? "unknown" : tokens.idTokenSubject(), tokens.scopes());
            String why = e.getMessage();
            identifyFailed = () -> record(session, now, "identify", null, "failed", why);
        }
        Identity who = identity;
        Runnable beforeConnect = identifyFailed;
        return PollStep.ending(
                () -> {
                    beforeConnect.run();
                    if (!sessions.updateIfActive(session.connected(who.account(), now))) return false;
                    writer.connect(session.provider(), tokens, who, now);
                    context.secrets().retire(SecretRef.deviceCode(session.id()));
                    record(session, now, "connected", response.httpStatus(), null, "account " + who.account());
                    audit(
                            session,
                            now,
                            "login.connected",
                            AuditLog.OK,
                            "session " + session.id() + " account " + who.account());
                    return true;
                },
                () -> {
                    observer.loginEnded(LoginStatus.CONNECTED, Duration.between(session.createdAt(), now));
                    if (tokens.expiresAt() != null && tokens.refreshToken() != null) {
                        refresher.scheduleAhead(session.provider(), now, tokens.expiresAt());
                    }
                });
    }

    private PollStep finish(LoginSession session, LoginStatus status, String reason, Instant now) {
        return finish(session, status, reason, now, () -> {});
    }

    /** Ends the login, after {@code answer} records what the provider said in the same transaction. */
    private PollStep finish(LoginSession session, LoginStatus status, String reason, Instant now, Runnable answer) {
        return PollStep.ending(
                () -> {
                    answer.run();
                    if (!sessions.updateIfActive(session.withStatus(status, reason, now))) return false;
                    context.secrets().retire(SecretRef.deviceCode(session.id()));
                    record(session, now, status.wireName(), null, null, reason);
                    audit(session, now, "login." + status.wireName(), AuditLog.FAILED, reason);
                    return true;
                },
                () -> observer.loginEnded(status, Duration.between(session.createdAt(), now)));
    }

    /** Adds a step to this login's timeline. */
    private void record(LoginSession session, Instant at, String kind, Integer httpStatus, String code, String detail) {
        context.timeline().record(session.id(), session.provider(), at, kind, httpStatus, code, detail);
    }

    private void audit(LoginSession session, Instant at, String action, String result, String detail) {
        context.audit().append(at, Actor.system(), action, session.provider(), result, detail);
    }

    private static String resultName(ProviderResponse response) {
        return switch (response) {
            case ProviderResponse.Tokens t -> "token";
            case ProviderResponse.OAuthError e -> e.code();
            case ProviderResponse.Transient t -> "transient";
        };
    }
}
