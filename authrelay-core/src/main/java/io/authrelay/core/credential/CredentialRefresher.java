package io.authrelay.core.credential;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.ProviderUnavailableException;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
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

    private final ServiceContext context;
    private final CredentialRepository credentials;
    private final ConnectionWriter writer;
    private final RefreshGrant grant;
    private final RefreshScheduler scheduler;
    private final RefreshObserver observer;
    private final RefreshPolicy policy;
    private final String owner = "refresher-" + UUID.randomUUID();
    private final Map<String, CompletableFuture<Secret>> inFlight = new ConcurrentHashMap<>();

    public CredentialRefresher(
            ServiceContext context,
            CredentialRepository credentials,
            ConnectionWriter writer,
            RefreshGrant grant,
            RefreshScheduler scheduler,
            RefreshObserver observer,
            RefreshPolicy policy) {
        this.context = context;
        this.credentials = credentials;
        this.writer = writer;
        this.grant = grant;
        this.scheduler = scheduler;
        this.observer = observer;
        this.policy = policy;
    }

    /** Schedules the refresh ahead of the expiry of tokens issued at {@code issuedAt}; a time already past means now. */
    public void scheduleAhead(String provider, Instant issuedAt, Instant expiresAt) {
        Instant at = policy.refreshAt(issuedAt, expiresAt);
        Instant now = now();
        scheduler.scheduleRefresh(provider, at.isBefore(now) ? now : at);
    }

    /** Returns a fresh access token, refreshing first when the stored one is stale. */
    public Secret freshAccessToken(String provider) {
        Credential credential = credentials.find(provider).orElseThrow(() -> notConnected(provider));
        requireUsable(credential);
        if (!policy.isStale(credential, now())) return access(provider);
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
            Credential failed = credentials.find(provider).orElse(credential);
            return Optional.of(now().plus(policy.cooldown(Math.max(1, failed.refreshFailures()))));
        } catch (DomainException e) {
            return Optional.empty();
        }
        return credentials
                .find(provider)
                .filter(c -> c.expiresAt() != null && c.lastRefreshAt() != null)
                .map(c -> policy.refreshAt(c.lastRefreshAt(), c.expiresAt()));
    }

    private Secret refreshOnce(String provider, long seenVersion) {
        Instant giveUp = now().plus(LEASE.multipliedBy(2));
        while (true) {
            Credential current = credentials.find(provider).orElseThrow(() -> notConnected(provider));
            requireUsable(current);
            if (current.version() > seenVersion && !policy.isStale(current, now())) return access(provider);
            if (!current.refreshable()) {
                throw DomainException.conflict(
                        "needs_reauth",
                        "the token of '" + provider + "' expired and cannot be refreshed",
                        "run: authrelay login " + provider);
            }
            Instant now = now();
            if (credentials.claimRefresh(provider, current.version(), owner, now.plus(LEASE), now)) {
                try {
                    return refreshWithLease(current);
                } finally {
                    credentials.releaseRefresh(provider, owner);
                }
            }
            if (now().isAfter(giveUp))
                throw new ProviderUnavailableException(provider, "another refresher holds the credential");
            sleep(LEASE_WAIT_STEP);
        }
    }

    private Secret refreshWithLease(Credential current) {
        String provider = current.provider();
        Provider config = context.providers().get(provider);
        Secret refreshToken = context.secrets()
                .get(SecretRef.credentialRefresh(provider))
                .orElseThrow(() -> markNeedsReauth(current, "no refresh token is stored"));
        ProviderResponse response = grant.refresh(config, refreshToken);
        Instant now = now();
        return switch (response) {
            case ProviderResponse.Tokens tokens -> {
                boolean saved = context.tx().inTransaction(() -> writer.refreshed(current, tokens.tokens(), now));
                if (!saved) {
                    observer.refreshed("lost_race");
                    yield access(provider);
                }
                context.timeline().record(null, provider, now, "refresh", tokens.httpStatus(), "ok", null);
                context.audit()
                        .append(
                                now,
                                Actor.system(),
                                "credential.refresh",
                                provider,
                                AuditLog.OK,
                                tokens.tokens().expiresAt() == null
                                        ? null
                                        : "expires " + tokens.tokens().expiresAt());
                observer.refreshed("ok");
                if (tokens.tokens().expiresAt() != null)
                    scheduleAhead(provider, now, tokens.tokens().expiresAt());
                yield tokens.tokens().accessToken();
            }
            case ProviderResponse.OAuthError error -> {
                context.timeline()
                        .record(null, provider, now, "refresh", error.httpStatus(), error.code(), error.description());
                Credential reread = credentials.find(provider).orElseThrow(() -> notConnected(provider));
                if (reread.version() != current.version() && reread.state() == CredentialState.CONNECTED) {
                    observer.refreshed("lost_race");
                    yield access(provider);
                }
                observer.refreshed("rejected");
                throw markNeedsReauth(current, "the provider rejected the refresh token (" + error.code() + ")");
            }
            case ProviderResponse.Transient failure -> {
                context.timeline()
                        .record(null, provider, now, "refresh", failure.httpStatus(), "transient", failure.reason());
                credentials.compareAndSet(
                        current.failed(CredentialState.CONNECTED, "refresh failed: " + failure.reason(), now),
                        current.version());
                observer.refreshed("transient");
                throw new ProviderUnavailableException(provider, failure.reason());
            }
        };
    }

    private DomainException markNeedsReauth(Credential current, String reason) {
        Instant now = now();
        credentials.compareAndSet(current.failed(CredentialState.NEEDS_REAUTH, reason, now), current.version());
        context.audit()
                .append(now, Actor.system(), "credential.needs_reauth", current.provider(), AuditLog.FAILED, reason);
        return needsReauth(current.provider(), reason);
    }

    private Instant now() {
        return context.clock().instant();
    }

    private Secret access(String provider) {
        return context.secrets().get(SecretRef.credentialAccess(provider)).orElseThrow(() -> notConnected(provider));
    }

    private static void requireUsable(Credential credential) {
        if (credential.state() == CredentialState.NEEDS_REAUTH) {
            throw needsReauth(credential.provider(), credential.lastError());
        }
        if (credential.state() == CredentialState.UNCONFIRMED_ACCOUNT) {
            throw DomainException.conflict(
                    "account_unconfirmed",
                    credential.provider() + " signed in as another account (" + credential.account()
                            + ") than before; it is held back until a person confirms it",
                    "confirm it with: authrelay login confirm " + credential.provider());
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
