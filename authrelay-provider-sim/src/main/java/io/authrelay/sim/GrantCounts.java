package io.authrelay.sim;

/**
 * Counters since start.
 *
 * @param deviceCodesIssued      device authorizations answered with a device code
 * @param deviceTokensIssued     device_code grants that returned tokens
 * @param refreshGrantsSucceeded refresh_token grants that returned tokens
 * @param refreshGrantsRejected  refresh_token grants answered with an OAuth error (unknown, reused, revoked, expired, wrong client)
 * @param familiesRevoked        token families revoked (refresh token reuse, or an explicit revocation that covered a family)
 */
public record GrantCounts(
        int deviceCodesIssued,
        int deviceTokensIssued,
        int refreshGrantsSucceeded,
        int refreshGrantsRejected,
        int familiesRevoked) {}
