package io.authrelay.core.workspace;

import java.time.Instant;
import java.util.List;

/** A place where agents run. Only the SHA-256 of its token is kept; revocation and expiry apply to the next request. */
public record Workspace(
        String id,
        String name,
        String tokenHash,
        List<Grant> grants,
        Instant expiresAt,
        Instant revokedAt,
        Instant createdAt,
        Instant updatedAt) {
    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
