package io.authrelay.core.provider;

import java.time.Instant;

/**
 * Why a provider runs on its last known endpoints: its issuer could not be reached when the provider was
 * declared at start. {@code since} is the first start that failed, so a long outage shows as one.
 */
public record Degradation(String reason, Instant since) {
    public Degradation {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a degradation needs a reason");
        if (since == null) throw new IllegalArgumentException("a degradation needs a time");
    }
}
