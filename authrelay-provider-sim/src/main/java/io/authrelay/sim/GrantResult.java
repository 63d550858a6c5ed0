package io.authrelay.sim;

/** What a device_code or refresh_token grant came to: tokens, or the OAuth error to answer. */
sealed interface GrantResult permits IssuedTokens, OAuthError {}
