package io.authrelay.core.oauth;

import io.authrelay.core.vault.Secret;

/** The OAuth protocol as the domain needs it; implemented with Nimbus in the OAuth adapter. */
public interface DeviceFlowClient {
    /** @throws ProviderUnavailableException when the provider cannot be reached or answers with garbage */
    DeviceAuthorization authorize(OAuthTarget provider);

    ProviderResponse pollToken(OAuthTarget provider, Secret deviceCode);

    ProviderResponse refresh(OAuthTarget provider, Secret refreshToken);

    /** @throws ProviderUnavailableException when the identity endpoint fails */
    Identity identify(OAuthTarget provider, TokenSet tokens);

    /** Best effort; returns false when the provider offers no revocation. */
    boolean revoke(OAuthTarget provider, Secret token);
}
