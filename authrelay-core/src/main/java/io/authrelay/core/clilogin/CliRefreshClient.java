package io.authrelay.core.clilogin;

import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.vault.Secret;

/**
 * Refreshes a credential an AI CLI's login left behind, at the vendor's token endpoint and in the body format its
 * driver names. The answer's tokens carry a null refresh token when the vendor did not rotate it, and an expiry from
 * {@code expires_in}, else from the access token's own {@code exp} claim, else null.
 */
public interface CliRefreshClient {
    /** @throws io.authrelay.core.oauth.ProviderUnavailableException never: transient failures are a response */
    ProviderResponse refresh(RefreshSpec spec, Secret refreshToken);
}
