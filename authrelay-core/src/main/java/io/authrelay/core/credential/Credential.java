package io.authrelay.core.credential;

import java.time.Instant;

/** What is known about a provider's credential, without the secret itself. */
public record Credential(String provider, CredentialState state, String account, Instant expiresAt, Instant updatedAt) {}
