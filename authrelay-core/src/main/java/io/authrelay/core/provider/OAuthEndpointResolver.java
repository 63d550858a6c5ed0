package io.authrelay.core.provider;

import io.authrelay.core.oauth.OAuthSettings;

/** Turns a provider spec into concrete OAuth settings (defaults for GitHub, discovery for OIDC). Implemented by the OAuth adapter. */
public interface OAuthEndpointResolver {
    OAuthSettings resolve(ProviderKind kind, ProviderSpec spec);

    /** The host credentials are presented to when the user did not name one. */
    String defaultHost(ProviderKind kind, ProviderSpec spec, OAuthSettings settings);
}
