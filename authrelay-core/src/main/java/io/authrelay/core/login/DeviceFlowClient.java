package io.authrelay.core.login;

import io.authrelay.core.provider.Provider;
import io.authrelay.core.vault.Secret;

/** The OAuth protocol as the domain needs it; implemented with Nimbus in the OAuth adapter. */
public interface DeviceFlowClient {
    /** @throws ProviderUnavailableException when the provider cannot be reached or answers with garbage */
    DeviceAuthorization authorize(Provider provider);

    ProviderResponse pollToken(Provider provider, Secret deviceCode);

    ProviderResponse refresh(Provider provider, Secret refreshToken);

    /** @throws ProviderUnavailableException when the identity endpoint fails */
    Identity identify(Provider provider, TokenSet tokens);

    /** Best effort; returns false when the provider offers no revocation. */
    boolean revoke(Provider provider, Secret token);
}
