package io.authrelay.core.credential;

import java.time.Instant;

/**
 * What is known about a provider's credential (its connection), without the secrets themselves.
 * {@code version} grows with every write and is the compare-and-swap guard that keeps concurrent
 * refreshers, on this replica or another, from overwriting each other.
 */
public record Credential(
        String provider,
        CredentialState state,
        String account,
        String scopes,
        Instant expiresAt,
        boolean refreshable,
        Instant lastRefreshAt,
        String lastError,
        int refreshFailures,
        long version,
        Instant updatedAt) {

    public static Credential fresh(
            String provider, String account, String scopes, Instant expiresAt, boolean refreshable, Instant now) {
        return new Credential(
                provider, CredentialState.CONNECTED, account, scopes, expiresAt, refreshable, now, null, 0, 0, now);
    }

    public Credential refreshed(Instant newExpiresAt, String newScopes, Instant now) {
        return new Credential(
                provider,
                CredentialState.CONNECTED,
                account,
                newScopes == null || newScopes.isBlank() ? scopes : newScopes,
                newExpiresAt,
                refreshable,
                now,
                null,
                0,
                version + 1,
                now);
    }

    public Credential failed(CredentialState newState, String error, Instant now) {
        return new Credential(
                provider,
                newState,
                account,
                scopes,
                expiresAt,
                refreshable,
                lastRefreshAt,
                error,
                refreshFailures + 1,
                version + 1,
                now);
    }

    /** The same credential in another state, e.g. held back or released after a person confirmed its account. */
    public Credential inState(CredentialState newState, Instant now) {
        return new Credential(
                provider,
                newState,
                account,
                scopes,
                expiresAt,
                refreshable,
                lastRefreshAt,
                lastError,
                refreshFailures,
                version + 1,
                now);
    }
}
