package io.authrelay.core.oauth;

import io.authrelay.core.DomainException;

/** The provider could not be reached or did not answer sensibly; callers may retry later. */
public class ProviderUnavailableException extends DomainException {
    public ProviderUnavailableException(String provider, String reason) {
        super(
                Kind.UNAVAILABLE,
                "provider_unavailable",
                "provider '" + provider + "' is unavailable: " + reason,
                "check the network and the provider's base URL, then retry; authrelay diagnose " + provider
                        + " shows details");
    }
}
