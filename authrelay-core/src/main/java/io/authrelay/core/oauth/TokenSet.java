package io.authrelay.core.oauth;

import io.authrelay.core.vault.Secret;
import java.time.Instant;

/** Tokens a provider issued. {@code refreshToken} and {@code expiresAt} are null for tokens that do not expire. */
public record TokenSet(
        Secret accessToken, Secret refreshToken, Instant expiresAt, String scopes, String idTokenSubject) {}
