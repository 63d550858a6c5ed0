package io.authrelay.core.credential;

import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.vault.Secret;

/** One refresh-token grant at the provider's token endpoint, in whatever wire format the provider speaks. */
@FunctionalInterface
public interface RefreshGrant {
    ProviderResponse refresh(Provider provider, Secret refreshToken);
}
