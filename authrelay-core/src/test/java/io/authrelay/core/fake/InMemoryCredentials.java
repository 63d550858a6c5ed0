package io.authrelay.core.fake;

import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Credentials with the versioning and refresh claims of the SQL repository: every write bumps the version,
 * compare-and-set and claims hold only at the expected version, and a claim holds off other owners until it
 * lapses. Shared by several refreshers, it stands for the database that replicas share.
 */
public final class InMemoryCredentials implements CredentialRepository {
    private record Claim(String owner, Instant until) {}

    private final Map<String, Credential> credentials = new HashMap<>();
    private final Map<String, Claim> claims = new HashMap<>();
    private final CountDownLatch refusedClaim = new CountDownLatch(1);

    @Override
    public synchronized void upsert(Credential credential) {
        Credential stored = credentials.get(credential.provider());
        credentials.put(credential.provider(), withVersion(credential, stored == null ? 1 : stored.version() + 1));
        claims.remove(credential.provider());
    }

    @Override
    public synchronized Optional<Credential> find(String provider) {
        return Optional.ofNullable(credentials.get(provider));
    }

    @Override
    public synchronized List<Credential> list() {
        return List.copyOf(credentials.values());
    }

    @Override
    public synchronized boolean delete(String provider) {
        claims.remove(provider);
        return credentials.remove(provider) != null;
    }

    @Override
    public synchronized boolean compareAndSet(Credential updated, long expectedVersion) {
        Credential stored = credentials.get(updated.provider());
        if (stored == null || stored.version() != expectedVersion) return false;
        credentials.put(updated.provider(), withVersion(updated, expectedVersion + 1));
        return true;
    }

    @Override
    public synchronized boolean claimRefresh(
            String provider, long expectedVersion, String owner, Instant until, Instant now) {
        Credential stored = credentials.get(provider);
        Claim claim = claims.get(provider);
        boolean free =
                claim == null || claim.owner().equals(owner) || claim.until().isBefore(now);
        if (stored == null || stored.version() != expectedVersion || !free) {
            refusedClaim.countDown();
            return false;
        }
        claims.put(provider, new Claim(owner, until));
        return true;
    }

    @Override
    public synchronized void releaseRefresh(String provider, String owner) {
        claims.computeIfPresent(provider, (p, claim) -> claim.owner().equals(owner) ? null : claim);
    }

    /** Blocks until some refresher was refused a claim, that is, found the credential held by another. */
    public void awaitRefusedClaim() throws InterruptedException {
        refusedClaim.await();
    }

    private static Credential withVersion(Credential c, long version) {
        return new Credential(
                c.provider(),
                c.state(),
                c.account(),
                c.scopes(),
                c.expiresAt(),
                c.refreshable(),
                c.lastRefreshAt(),
                c.lastError(),
                c.refreshFailures(),
                version,
                c.updatedAt());
    }
}
