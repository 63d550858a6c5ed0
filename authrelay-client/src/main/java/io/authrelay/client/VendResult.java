package io.authrelay.client;

/** The outcome of a vend, already classified for callers. */
public sealed interface VendResult {
    /**
     * The broker handed out a credential. {@code kind} is the provider's type (github, oidc-device, static, ...) and
     * {@code host} the host it serves, either null from an older broker; {@code passwordExpiryUtc} is epoch seconds or
     * null.
     */
    record Granted(String provider, String kind, String host, String username, String password, Long passwordExpiryUtc)
            implements VendResult {
        @Override
        public String toString() {
            return "Granted[" + provider + ", " + kind + ", " + host + ", " + username + ", password=" + Redactor.MASK
                    + ", expiry=" + passwordExpiryUtc + "]";
        }
    }

    /** 404 {@code unknown_host}: no provider serves this host; let the next git helper try. */
    record NotOurs(String message) implements VendResult {}

    /**
     * No credential. {@code message} is the one-line error for stderr; {@code code} is the broker's error
     * code, or "unreachable", "no_token", "config", "bad_response"; {@code definitive} is false when it may
     * work later (unreachable, 5xx, 429).
     */
    record Failed(String code, String message, boolean definitive) implements VendResult {}
}
