package io.authrelay.sim;

/** One device authorization. Mutable fields are guarded by {@code this}. */
final class DeviceGrant {

    enum State {
        PENDING,
        APPROVED,
        DENIED,
        CONSUMED
    }

    final String deviceCode;
    /** Display form, ABCD-EFGH. */
    final String userCode;

    final String clientId;
    final String scope;
    final long expiresAtMillis;

    int intervalSeconds;
    long lastPollMillis;
    State state = State.PENDING;
    String login;

    DeviceGrant(
            String deviceCode,
            String userCode,
            String clientId,
            String scope,
            long expiresAtMillis,
            int intervalSeconds) {
        this.deviceCode = deviceCode;
        this.userCode = userCode;
        this.clientId = clientId;
        this.scope = scope;
        this.expiresAtMillis = expiresAtMillis;
        this.intervalSeconds = intervalSeconds;
    }
}
