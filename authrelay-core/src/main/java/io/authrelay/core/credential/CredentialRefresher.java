package io.authrelay.core.credential;

import io.authrelay.core.DomainException;
import io.authrelay.core.Transactions;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.login.DeviceFlowClient;
import io.authrelay.core.login.LoginEventLog;
import io.authrelay.core.login.LoginObserver;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.ProviderResponse;
import io.authrelay.core.login.ProviderUnavailableException;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refreshes a credential so that exactly one party uses its refresh token at a time: callers in this
 * process share one in-flight refresh (single-flight), and replicas take a lease with compare-and-swap on
 * the credential's version before calling the provider. The rotated pair is saved before anyone gets the
 * new access token, and a rejected refresh is re-checked against the database before the credential is
 * marked {@code needs_reauth}, in case another replica won the race.
 */
public final class CredentialRefresher {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration LEASE_WAIT_STEP = Duration.ofMillis(100);

    private final ProviderService providers;
    private final CredentialRepository credentials;
    private final SecretStore secrets;
    private final ConnectionWriter writer;
    private final DeviceFlowClient client;
    private final LoginScheduler scheduler;
    private final LoginEventLog events;
    private final AuditLog audit;
    private final LoginObserver observer;
    private final Transactions tx;
    private final Clock clock;
    private final RefreshPolicy policy;
    private final String owner = "refresher-" + UUID.randomUUID();
    private final Map<String, CompletableFuture<Secret>> inFlight = new ConcurrentHashMap<>();

    public CredentialRefresher(
            ProviderService providers,
            CredentialRepository credentials,
            SecretStore secrets,
            DeviceFlowClient client,
            LoginScheduler scheduler,
            LoginEventLog events,
            AuditLog audit,
            LoginObserver observer,
            Transactions tx,
            Clock clock,
            RefreshPolicy policy) {
        this.providers = providers;
        this.credentials = credentials;
        this.secrets = secrets;
        this.writer = new ConnectionWriter(credentials, secrets);
        this.client = client;
        this.scheduler = scheduler;
        this.events = events;
        this.audit = audit;
        this.observer = observer;
        this.tx = tx;
        this.clock = clock;
        this.policy = policy;
    }

    public RefreshPolicy policy() {
        return policy;
    }

    /** Returns a fresh access token, refreshing first when the stored one is stale. */
    public Secret freshAccessToken(String provider) {
        Credential credential = credentials.find(provider).orElseThrow(() -> notConnected(provider));
        requireUsable(credential);
        if (!policy.isStale(credential, clock.instant())) return access(provider);
        return refresh(provider, credential.version());
    }

    /** Refreshes now unless someone else already moved past {@code seenVersion}; shared by every caller in this process. */
    public Secret refresh(String provider, long seenVersion) {
        CompletableFuture<Secret> mine = new CompletableFuture<>();
        CompletableFuture<Secret> running = inFlight.putIfAbsent(provider, mine);
        if (running != null) return join(running);
        try {
            mine.complete(refreshOnce(provider, seenVersion));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(provider, mine);
        }
        return join(mine);
    }

    /**
     * The scheduled refresh ahead of expiry. @return when to run next: ahead of the new expiry on success,
     * after a cooldown on a transient failure, never again once the credential needs a new login
     */
    public Optional<Instant> refreshAhead(String provider) {
        Credential credential = credentials.find(provider).orElse(null);
        if (credential == null || credential.state() != CredentialState.CONNECTED || !credential.refreshable())
            return Optional.empty();
        try {
            refresh(provider, credential.version());
        } catch (ProviderUnavailableException e) {
            Credential now = credentials.find(provider).orElse(credential);
            return Optional.of(clock.instant().plus(policy.cooldown(Math.max(1, now.refreshFailures()))));
        } catch (DomainException e) {
            return Optional.empty();
        }
        return credentials
                .find(provider)
                .filter(c -> c.expiresAt() != null && c.lastRefreshAt() != null)
                .map(c -> policy.refreshAt(c.lastRefreshAt(), c.expiresAt()));
    }

    private Secret refreshOnce(String provider, long seenVersion) {
        Instant giveUp = clock.instant().plus(LEASE.multipliedBy(2));
        while (true) {
            Credential current = credentials.find(provider).orElseThrow(() -> notConnected(provider));
            requireUsable(current);
            if (current.version() > seenVersion && !policy.isStale(current, clock.instant())) return access(provider);
            if (!current.refreshable()) {
                throw DomainException.conflict(
                        "needs_reauth",
                        "the token of '" + provider + "' expired and cannot be refreshed",
                        "run: authrelay login " + provider);
            }
            Instant now = clock.instant();
            if (credentials.claimRefresh(provider, current.version(), owner, now.plus(LEASE), now)) {
                try {
                    return refreshWithLease(current);
                } finally {
                    credentials.releaseRefresh(provider, owner);
                }
            }
            if (clock.instant().isAfter(giveUp))
                throw new ProviderUnavailableException(provider, "another refresher holds the credential");
            sleep(LEASE_WAIT_STEP);
        }
    }

    private Secret refreshWithLease(Credential current) {
        String provider = current.provider();
        Provider config = providers.get(provider);
        Secret refreshToken = secrets.get(SecretRef.credentialRefresh(provider))
                .orElseThrow(() -> markNeedsReauth(current, "no refresh token is stored"));
        ProviderResponse response = client.refresh(config, refreshToken);
        Instant now = clock.instant();
        return switch (response) {
            case ProviderResponse.Tokens tokens -> {
                boolean saved = tx.inTransaction(() -> writer.refreshed(current, tokens.tokens(), now));
                if (!saved) {
                    observer.refreshed("lost_race");
                    yield access(provider);
                }
                events.record(null, provider, now, "refresh", tokens.httpStatus(), "ok", null);
                observer.refreshed("ok");
                if (tokens.tokens().expiresAt() != null)
                    scheduler.scheduleRefresh(
                            provider, policy.refreshAt(now, tokens.tokens().expiresAt()));
                yield tokens.tokens().accessToken();
            }
            case ProviderResponse.OAuthError error -> {
                events.record(null, provider, now, "refresh", error.httpStatus(), error.code(), error.description());
                Credential reread = credentials.find(provider).orElseThrow(() -> notConnected(provider));
                if (reread.version() != current.version() && reread.state() == CredentialState.CONNECTED) {
                    observer.refreshed("lost_race");
                    yield access(provider);
                }
                observer.refreshed("rejected");
                throw markNeedsReauth(current, "the provider rejected the refresh token (" + error.code() + ")");
            }
            case ProviderResponse.Transient failure -> {
                events.record(null, provider, now, "refresh", failure.httpStatus(), "transient", failure.reason());
                credentials.compareAndSet(
                        current.failed(CredentialState.CONNECTED, "refresh failed: " + failure.reason(), now),
                        current.version());
                observer.refreshed("transient");
                throw new ProviderUnavailableException(provider, failure.reason());
            }
        };
    }

    private DomainException markNeedsReauth(Credential current, String reason) {
        Instant now = clock.instant();
        credentials.compareAndSet(current.failed(CredentialState.NEEDS_REAUTH, reason, now), current.version());
        audit.append(now, Actor.system(), "credential.needs_reauth", current.provider(), AuditLog.FAILED, reason);
        return needsReauth(current.provider(), reason);
    }

    private Secret access(String provider) {
        return secrets.get(SecretRef.credentialAccess(provider)).orElseThrow(() -> notConnected(provider));
    }

    private static void requireUsable(Credential credential) {
        if (credential.state() == CredentialState.NEEDS_REAUTH) {
            throw needsReauth(credential.provider(), credential.lastError());
        }
    }

    static DomainException needsReauth(String provider, String reason) {
        return DomainException.conflict(
                "needs_reauth",
                provider + " needs a new login" + (reason == null ? "" : ": " + reason),
                "run: authrelay login " + provider);
    }

    public static DomainException notConnected(String provider) {
        return DomainException.notFound(
                "credential_not_found",
                "provider '" + provider + "' has no credential",
                "connect it with: authrelay login " + provider + " (or authrelay credential set for static providers)");
    }

    private static Secret join(CompletableFuture<Secret> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw e;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another refresher", e);
        }
    }
}
