package io.authrelay.core.oauth;

/**
 * A provider as the OAuth protocol sees it: its settings, and its name for the messages a failure carries.
 * The provider record implements it, so the wire model needs nothing from the provider package.
 */
public interface OAuthTarget {
    String name();

    OAuthSettings oauth();
}
