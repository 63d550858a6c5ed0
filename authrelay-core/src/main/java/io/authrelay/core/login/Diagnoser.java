package io.authrelay.core.login;

import io.authrelay.core.DomainException;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.service.ServiceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Explains a login session or a provider's connection from its stored state and event timeline. */
public final class Diagnoser {
    /** A scheduler silent for longer than this is not running the polls. */
    public static final Duration STALE_HEARTBEAT = Duration.ofSeconds(30);

    private static final int TIMELINE = 200;

    private final ServiceContext context;
    private final LoginSessionRepository sessions;
    private final CredentialRepository credentials;
    private final LoginScheduler scheduler;

    public Diagnoser(
            ServiceContext context,
            LoginSessionRepository sessions,
            CredentialRepository credentials,
            LoginScheduler scheduler) {
        this.context = context;
        this.sessions = sessions;
        this.credentials = credentials;
        this.scheduler = scheduler;
    }

    /** {@code target} is a session id (ls_...) or a provider name. */
    public Diagnosis diagnose(String target) {
        Optional<LoginSession> session = sessions.find(target);
        if (session.isPresent()) return forSession(session.get());
        context.providers().get(target);
        Optional<Credential> credential = credentials.find(target);
        Optional<LoginSession> latest = sessions.recent(target, 1).stream().findFirst();
        if (latest.isPresent()
                && (credential.isEmpty()
                        || latest.get().status().isTerminal()
                                && latest.get()
                                        .updatedAt()
                                        .isAfter(credential.get().updatedAt()))) {
            Diagnosis login = forSession(latest.get());
            return new Diagnosis(
                    target,
                    login.state(),
                    login.summary(),
                    login.advice(),
                    context.timeline().forProvider(target, TIMELINE));
        }
        if (credential.isEmpty()) {
            return new Diagnosis(
                    target,
                    "not_connected",
                    target + " has never been connected.",
                    "run: authrelay login " + target + " (or authrelay credential set " + target
                            + " for static providers)",
                    context.timeline().forProvider(target, TIMELINE));
        }
        return forCredential(credential.get());
    }

    private Diagnosis forCredential(Credential c) {
        Instant now = context.clock().instant();
        String summary;
        String advice;
        if (c.state() == CredentialState.NEEDS_REAUTH) {
            summary = c.provider() + " needs a new login: " + c.lastError() + ".";
            advice = "run: authrelay login " + c.provider();
        } else if (c.expiresAt() != null && now.isAfter(c.expiresAt()) && !c.refreshable()) {
            summary = "the token of " + c.provider() + " expired and cannot be refreshed.";
            advice = "run: authrelay login " + c.provider();
        } else if (c.lastError() != null) {
            summary = c.provider() + " is connected as " + c.account() + ", but the last refresh failed: "
                    + c.lastError() + ".";
            advice = "it is retried automatically with a cooldown; check the provider is reachable";
        } else {
            summary = c.provider() + " is connected as " + c.account()
                    + (c.expiresAt() == null
                            ? " with a token that does not expire."
                            : "; the token expires at " + c.expiresAt() + " and is refreshed ahead of time.");
            advice = "nothing to do";
        }
        return new Diagnosis(
                c.provider(),
                c.state().wireName(),
                summary,
                advice,
                context.timeline().forProvider(c.provider(), TIMELINE));
    }

    private Diagnosis forSession(LoginSession s) {
        Instant now = context.clock().instant();
        String summary;
        String advice;
        switch (s.status()) {
            case PENDING, AWAITING_USER -> {
                Duration heartbeat = scheduler.heartbeatAge();
                long left = Math.max(0, Duration.between(now, s.expiresAt()).toSeconds());
                if (heartbeat == null || heartbeat.compareTo(STALE_HEARTBEAT) > 0) {
                    summary = "the login is waiting, but no scheduler has run for "
                            + (heartbeat == null ? "ever" : heartbeat.toSeconds() + "s")
                            + ", so nobody is polling the provider.";
                    advice =
                            "check the daemon is running (authrelay status); with PostgreSQL, at least one replica must be up";
                } else if (s.lastResult() != null && s.lastResult().startsWith("transient")) {
                    summary = "polling the provider fails (" + s.consecutiveFailures() + " in a row, " + s.lastResult()
                            + "); the login ends as failed if this goes on.";
                    advice = "check the network and the provider's base URL";
                } else {
                    summary = "waiting for the user to enter code " + s.userCode() + " at " + s.verificationUri() + " ("
                            + left + "s left, " + s.polls() + " polls so far"
                            + (s.lastResult() == null ? "" : ", last: " + s.lastResult()) + ").";
                    advice = "open " + s.verificationUri() + " and enter " + s.userCode();
                }
            }
            case CONNECTED -> {
                summary = "the login connected " + s.provider() + " as " + s.account() + ".";
                advice = "nothing to do";
            }
            case DENIED -> {
                summary = "the user denied the request at the provider.";
                advice = "start again with: authrelay login " + s.provider();
            }
            case EXPIRED -> {
                summary =
                        "the code expired before it was approved" + (s.polls() == 0 ? " (it was never polled)." : ".");
                advice = "start again with: authrelay login " + s.provider() + ", and approve within the time shown";
            }
            case CANCELLED -> {
                summary = "the login was " + (s.reason() == null ? "cancelled" : s.reason()) + ".";
                advice = "start again with: authrelay login " + s.provider();
            }
            case FAILED -> {
                summary = "the login failed: " + s.reason() + ".";
                advice =
                        "check the provider's configuration (authrelay provider list) and network, then: authrelay login "
                                + s.provider();
            }
            default -> throw DomainException.invalid("unknown_state", "unknown state", null);
        }
        return new Diagnosis(
                s.id(),
                s.status().wireName(),
                summary,
                advice,
                context.timeline().forSession(s.id(), TIMELINE));
    }
}
