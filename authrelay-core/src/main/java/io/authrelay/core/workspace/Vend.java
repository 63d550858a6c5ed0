package io.authrelay.core.workspace;

import io.authrelay.core.vault.Secret;
import java.time.Instant;

/** One delivered credential: the username to use with it, the fresh secret, and until when git may trust it. */
public record Vend(String provider, String username, Secret password, Instant expiresAt) {}
