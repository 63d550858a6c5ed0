package io.authrelay.core.credential;

import java.time.Duration;
import java.time.Instant;

/**
 * When to refresh: ahead of expiry by the larger of {@code minimumMargin} and {@code fraction} of the
 * token's lifetime; on demand once a token is within {@code skew} of expiring (see {@link #isStale}); after a transient failure,
 * not before a cooldown that doubles up to {@code maximumCooldown}.
 */
public record RefreshPolicy(
        Duration minimumMargin, double fraction, Duration skew, Duration initialCooldown, Duration maximumCooldown) {
    public static RefreshPolicy defaults() {
        return new RefreshPolicy(
                Duration.ofMinutes(10), 0.10, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(30));
    }

    public Instant refreshAt(Instant issuedAt, Instant expiresAt) {
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        Duration margin =
                Duration.ofMillis(Math.max(minimumMargin.toMillis(), (long) (lifetime.toMillis() * fraction)));
        Instant at = expiresAt.minus(margin);
        // A token shorter-lived than the margin is refreshed half-way through, not immediately and forever.
        return at.isAfter(issuedAt) ? at : issuedAt.plus(lifetime.dividedBy(2));
    }

    /** Stale within {@code skew} of expiry, or within a quarter of the lifetime for tokens too short-lived for the skew. */
    public boolean isStale(Credential credential, Instant now) {
        if (credential.expiresAt() == null) return false;
        Duration window = skew;
        if (credential.lastRefreshAt() != null) {
            Duration quarter = Duration.between(credential.lastRefreshAt(), credential.expiresAt())
                    .dividedBy(4);
            if (quarter.compareTo(window) < 0) window = quarter;
        }
        return !now.isBefore(credential.expiresAt().minus(window));
    }

    public Duration cooldown(int failures) {
        long millis = initialCooldown.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
        return Duration.ofMillis(Math.min(millis, maximumCooldown.toMillis()));
    }
}
