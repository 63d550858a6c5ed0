package io.authrelay.sim;

/**
 * One request to a token endpoint, as the simulator saw it.
 *
 * @param atEpochMillis server-side arrival time (System.currentTimeMillis)
 * @param grantType     the grant_type parameter as sent (null if absent)
 * @param userCode      the device code's user code (ABCD-EFGH) for device_code grants whose device code is known, else null
 * @param httpStatus    status answered; 0 when the connection was reset without a response
 * @param error         null on success, else the OAuth error code or "server_error", "garbage", "reset", "timeout"
 */
public record Poll(long atEpochMillis, String grantType, String userCode, int httpStatus, String error) {}
