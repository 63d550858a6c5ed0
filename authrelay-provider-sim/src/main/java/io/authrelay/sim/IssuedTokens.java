package io.authrelay.sim;

/**
 * The tokens one grant issued, for the flavour to word as a token response.
 *
 * @param refreshToken    null when {@code lifetimeSeconds} is 0
 * @param lifetimeSeconds access token lifetime; 0 = never expires
 */
record IssuedTokens(
        Tokens.Family family, String accessToken, String refreshToken, int lifetimeSeconds, long issuedAtMillis)
        implements GrantResult {}
