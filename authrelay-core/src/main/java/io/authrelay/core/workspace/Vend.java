package io.authrelay.core.workspace;

import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.vault.Secret;
import java.time.Instant;

/**
 * One delivered credential: what kind of provider it comes from and the host it is for (so a client can present it
 * the way that kind's tools expect), the username to use with it, the fresh secret, and until when git may trust it.
 * {@code account} is the vendor account the credential signed in as (codex's ChatGPT account id), or null: never sent
 * to a workspace by a vend, only set by the relay on the upstream request where its driver says so.
 */
public record Vend(
        String provider,
        ProviderKind kind,
        String host,
        String username,
        Secret password,
        Instant expiresAt,
        String account) {}
