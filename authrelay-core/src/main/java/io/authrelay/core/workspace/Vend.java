package io.authrelay.core.workspace;

import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.vault.Secret;
import java.time.Instant;

/**
 * One delivered credential: what kind of provider it comes from and the host it is for (so a client can present it
 * the way that kind's tools expect), the username to use with it, the fresh secret, and until when git may trust it.
 */
public record Vend(
        String provider, ProviderKind kind, String host, String username, Secret password, Instant expiresAt) {}
