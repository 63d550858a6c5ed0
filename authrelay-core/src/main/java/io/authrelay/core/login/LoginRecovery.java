package io.authrelay.core.login;

import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import java.time.Clock;
import java.time.Instant;

/**
 * Run at start-up: makes sure every active login has a poll and every refreshable credential a refresh
 * scheduled, whatever happened to the process that owned them (SIGKILL between commit and schedule, a
 * database restored from backup). Scheduling is idempotent, so running it on every replica is safe.
 */
public final class LoginRecovery {
    private final LoginSessionRepository sessions;
    private final CredentialRepository credentials;
    private final CredentialRefresher refresher;
    private final LoginScheduler scheduler;
    private final Clock clock;

    public LoginRecovery(
            LoginSessionRepository sessions,
            CredentialRepository credentials,
            CredentialRefresher refresher,
            LoginScheduler scheduler,
            Clock clock) {
        this.sessions = sessions;
        this.credentials = credentials;
        this.refresher = refresher;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public int resume() {
        Instant now = clock.instant();
        int resumed = 0;
        for (LoginSession session : sessions.active()) {
            Instant at =
                    session.nextPollAt() == null || session.nextPollAt().isBefore(now) ? now : session.nextPollAt();
            scheduler.schedulePoll(session.id(), at);
            resumed++;
        }
        for (var credential : credentials.list()) {
            if (credential.state() == CredentialState.CONNECTED
                    && credential.refreshable()
                    && credential.expiresAt() != null) {
                Instant issued =
                        credential.lastRefreshAt() == null ? credential.updatedAt() : credential.lastRefreshAt();
                refresher.scheduleAhead(credential.provider(), issued, credential.expiresAt());
            }
        }
        return resumed;
    }
}
