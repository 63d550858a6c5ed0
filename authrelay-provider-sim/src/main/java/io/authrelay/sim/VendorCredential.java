package io.authrelay.sim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One login at a vendor: every access and refresh token descended from it. {@code currentRefreshToken} and
 * {@code revoked} are guarded by {@code this}.
 */
final class VendorCredential {
    private final String id;
    private final Vendor vendor;
    private final String login;
    private final String accountId;
    private final boolean rotating;
    private final AtomicInteger refreshGrants = new AtomicInteger();
    private String currentRefreshToken;
    private boolean revoked;

    VendorCredential(String id, Vendor vendor, String login, boolean rotating) {
        this.id = id;
        this.vendor = vendor;
        this.login = login;
        this.accountId = "acct-" + id;
        this.rotating = rotating;
    }

    String id() {
        return id;
    }

    Vendor vendor() {
        return vendor;
    }

    String login() {
        return login;
    }

    /** The vendor's account id (ChatGPT account, Anthropic account uuid). */
    String accountId() {
        return accountId;
    }

    boolean rotating() {
        return rotating;
    }

    synchronized String currentRefreshToken() {
        return currentRefreshToken;
    }

    int refreshGrants() {
        return refreshGrants.get();
    }

    synchronized boolean revoked() {
        return revoked;
    }

    /**
     * Redeems {@code refreshToken}: null when it is the live one (a rotating credential then expects {@code next}),
     * else why not. Reusing a rotated-out token revokes the whole credential, as vendors do on reuse detection.
     */
    synchronized VendorRejection redeem(String refreshToken, String next) {
        if (revoked) return VendorRejection.REVOKED;
        if (!refreshToken.equals(currentRefreshToken)) {
            revoked = true;
            return VendorRejection.REUSED;
        }
        if (rotating) currentRefreshToken = next;
        refreshGrants.incrementAndGet();
        return null;
    }

    synchronized String liveRefreshToken() {
        return currentRefreshToken;
    }

    synchronized void start(String refreshToken) {
        currentRefreshToken = refreshToken;
    }

    synchronized void revoke() {
        revoked = true;
    }
}
