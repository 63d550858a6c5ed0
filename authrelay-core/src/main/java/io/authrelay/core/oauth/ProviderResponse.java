package io.authrelay.core.oauth;

/**
 * What one call to a provider's token endpoint came to. Transient failures (connection errors, timeouts,
 * 5xx, 429, bodies that are not JSON) are retried; everything else is final for that step.
 */
public sealed interface ProviderResponse {
    record Tokens(TokenSet tokens, int httpStatus) implements ProviderResponse {}

    /** An OAuth error: authorization_pending, slow_down, access_denied, expired_token, invalid_grant, ... */
    record OAuthError(String code, String description, int httpStatus) implements ProviderResponse {}

    record Transient(String reason, Integer httpStatus) implements ProviderResponse {}
}
