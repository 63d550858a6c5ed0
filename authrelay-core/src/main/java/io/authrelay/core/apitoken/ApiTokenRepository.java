package io.authrelay.core.apitoken;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port for API tokens. */
public interface ApiTokenRepository {
    /** @return false when the name is taken */
    boolean insert(ApiToken token);

    Optional<ApiToken> findByName(String name);

    Optional<ApiToken> findByTokenHash(String tokenHash);

    List<ApiToken> list();

    /** @return false when there is no such token or it was already revoked */
    boolean revoke(String name, Instant at);

    /** Sets {@code last_used_at} to {@code at} unless it already is {@code notBefore} or later. */
    void recordUse(String id, Instant at, Instant notBefore);
}
