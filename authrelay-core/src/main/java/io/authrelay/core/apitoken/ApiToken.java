package io.authrelay.core.apitoken;

import io.authrelay.core.auth.Scope;
import java.time.Instant;

/**
 * A named bearer token for automation (a Prometheus scraper, a dashboard, a script). Only the SHA-256 of the token is
 * kept; {@code lastUsedAt} is coarse (see {@link ApiTokenService#LAST_USE_PRECISION}).
 */
public record ApiToken(
        String id,
        String name,
        Scope scope,
        String tokenHash,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {
    public boolean isRevoked() {
        return revokedAt != null;
    }
}
