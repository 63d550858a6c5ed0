package io.authrelay.core.login;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.oauth.DeviceAuthorization;
import io.authrelay.core.oauth.DeviceFlowClient;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.SecretRef;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Starting, reading and cancelling device-flow logins. The session and its sealed device code are
 * written in one transaction and the first poll is scheduled durably, so the login goes on no matter
 * what happens to the caller.
 */
public final class LoginService {
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Started(LoginSession session, boolean alreadyPending) {}

    private final ServiceContext context;
    private final LoginSessionRepository sessions;
    private final CredentialRepository credentials;
    private final DeviceFlowClient client;
    private final LoginScheduler scheduler;

    public LoginService(
            ServiceContext context,
            LoginSessionRepository sessions,
            CredentialRepository credentials,
            DeviceFlowClient client,
            LoginScheduler scheduler) {
        this.context = context;
        this.sessions = sessions;
        this.credentials = credentials;
        this.client = client;
        this.scheduler = scheduler;
    }

    public Started start(String providerName, Actor actor) {
        return start(providerName, null, false, actor);
    }

    /**
     * @param scopes null for the provider's configured scopes; otherwise what this login asks for instead
     * @param force  start even though the provider is connected: like gh, a second login is asked for, not assumed
     */
    public Started start(String providerName, String scopes, boolean force, Actor actor) {
        Provider configured = context.providers().get(providerName);
        Provider provider = scopes == null || scopes.isBlank() || configured.oauth() == null
                ? configured
                : configured.withScopes(scopes);
        if (!provider.kind().usesDeviceFlow()) {
            throw DomainException.invalid(
                    "not_a_login_provider",
                    "provider '" + providerName + "' is static: it has no login",
                    "store its secret with: authrelay credential set " + providerName);
        }
        var pending = sessions.findActive(providerName);
        if (pending.isPresent()
                && context.clock().instant().isBefore(pending.get().expiresAt()))
            return new Started(pending.get(), true);
        if (!force) requireNotConnected(credentials, providerName);

        DeviceAuthorization authorization = client.authorize(provider);
        Instant now = context.clock().instant();
        LoginSession session = new LoginSession(
                newId(),
                providerName,
                LoginStatus.PENDING,
                authorization.userCode(),
                authorization.verificationUri(),
                authorization.verificationUriComplete(),
                now.plus(authorization.expiresIn()),
                authorization.interval(),
                now.plus(PollTiming.padded(authorization.interval())),
                0,
                0,
                null,
                null,
                null,
                now,
                now);
        Started started = context.tx().inTransaction(() -> {
            // A stale active session (its code expired while no poller ran) is closed before the new one opens.
            pending.ifPresent(old ->
                    sessions.updateIfActive(old.withStatus(LoginStatus.EXPIRED, "superseded by a new login", now)));
            if (!sessions.insertIfNoneActive(session))
                return new Started(activeAfterRace(sessions, providerName), true);
            context.secrets().put(SecretRef.deviceCode(session.id()), authorization.deviceCode());
            context.timeline()
                    .record(
                            session.id(),
                            providerName,
                            now,
                            "started",
                            null,
                            null,
                            "code " + session.userCode() + " valid for "
                                    + authorization.expiresIn().toSeconds() + "s, interval "
                                    + authorization.interval().toSeconds() + "s");
            context.audit().append(now, actor, "login.start", providerName, AuditLog.OK, "session " + session.id());
            return new Started(session, false);
        });
        // Scheduled after the commit: the scheduler has its own connection, and the session must exist when the poll
        // runs.
        // Should the process die in between, start-up reconciliation schedules every active session again.
        if (!started.alreadyPending()) scheduler.schedulePoll(session.id(), session.nextPollAt());
        return started;
    }

    /** The session another request (or replica) started while this one was starting its own. */
    public static LoginSession activeAfterRace(LoginSessionRepository sessions, String providerName) {
        return sessions.findActive(providerName)
                .orElseThrow(() -> DomainException.conflict(
                        "login_raced",
                        "another login for " + providerName + " started and ended meanwhile",
                        "start the login again"));
    }

    /** Like gh, a second login for a connected provider is asked for (force), never assumed. */
    public static void requireNotConnected(CredentialRepository credentials, String providerName) {
        credentials
                .find(providerName)
                .filter(c -> c.state() == CredentialState.CONNECTED)
                .ifPresent(c -> {
                    throw DomainException.conflict(
                            "already_connected",
                            providerName + " is already connected" + (c.account() == null ? "" : " as " + c.account()),
                            "to sign in again (another account, other scopes), start the login with --force; the"
                                    + " current credential stays in use until the new login connects");
                });
    }

    public LoginSession get(String sessionId) {
        return sessions.find(sessionId)
                .orElseThrow(() -> DomainException.notFound(
                        "login_not_found",
                        "no login session '" + sessionId + "'",
                        "list logins with: authrelay status"));
    }

    public List<LoginSession> recent(String provider, int limit) {
        return sessions.recent(provider, limit);
    }

    public LoginSession cancel(String sessionId, Actor actor) {
        LoginSession session = get(sessionId);
        Instant now = context.clock().instant();
        LoginSession cancelled = session.withStatus(LoginStatus.CANCELLED, "cancelled by " + actor.name(), now);
        boolean done = context.tx().inTransaction(() -> {
            if (!sessions.updateIfActive(cancelled)) return false;
            context.secrets().retire(SecretRef.deviceCode(sessionId));
            context.timeline()
                    .record(sessionId, session.provider(), now, "cancelled", null, null, "by " + actor.name());
            context.audit().append(now, actor, "login.cancel", session.provider(), AuditLog.OK, "session " + sessionId);
            return true;
        });
        if (done) scheduler.cancelPoll(sessionId);
        if (!done) {
            throw DomainException.conflict(
                    "login_finished",
                    "login " + sessionId + " already ended as "
                            + get(sessionId).status().wireName(),
                    null);
        }
        return cancelled;
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "ls_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** How long to wait before the next poll: the server's interval plus padding for clock drift (VM clocks run fast). */
    public static final class PollTiming {
        private PollTiming() {}

        public static Duration padded(Duration interval) {
            return interval.plus(Duration.ofMillis(Math.max(1000, interval.toMillis() / 5)));
        }
    }
}
