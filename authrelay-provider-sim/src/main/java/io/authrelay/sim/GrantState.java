package io.authrelay.sim;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the simulator has granted: device codes, token families with their access and refresh tokens, and the
 * counters behind {@link GrantCounts}; also the clients it knows and the interval and lifetimes new grants get.
 */
final class GrantState {
    static final String DEFAULT_LOGIN = "sim-user";
    /** RFC 8628 section 3.5: each slow_down adds 5 seconds to the polling interval. */
    private static final int SLOW_DOWN_STEP_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(GrantState.class);

    private final SimOptions options;
    private volatile int intervalSeconds;
    private volatile int codeLifetimeSeconds;
    private volatile int tokenLifetimeSeconds;
    private final Set<String> allowedClients = ConcurrentHashMap.newKeySet();

    private final ConcurrentHashMap<String, DeviceGrant> byDeviceCode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DeviceGrant> byUserCode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Tokens.Access> accessTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Tokens.Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Tokens.Family> families = new ConcurrentHashMap<>();
    private final AtomicLong familyIds = new AtomicLong();

    private final AtomicInteger deviceCodesIssued = new AtomicInteger();
    private final AtomicInteger deviceTokensIssued = new AtomicInteger();
    private final AtomicInteger refreshGrantsSucceeded = new AtomicInteger();
    private final AtomicInteger refreshGrantsRejected = new AtomicInteger();
    private final AtomicInteger familiesRevoked = new AtomicInteger();

    GrantState(SimOptions options) {
        this.options = options;
        restoreSettings();
    }

    // ---------------------------------------------------------------- settings and clients

    /** Interval and lifetimes back to the start options. */
    void restoreSettings() {
        intervalSeconds = options.intervalSeconds();
        codeLifetimeSeconds = options.codeLifetimeSeconds();
        tokenLifetimeSeconds = options.tokenLifetimeSeconds();
    }

    int intervalSeconds() {
        return intervalSeconds;
    }

    int codeLifetimeSeconds() {
        return codeLifetimeSeconds;
    }

    int tokenLifetimeSeconds() {
        return tokenLifetimeSeconds;
    }

    void setIntervalSeconds(int seconds) {
        if (seconds < 0) throw new IllegalArgumentException("interval must be >= 0 s");
        intervalSeconds = seconds;
    }

    void setCodeLifetimeSeconds(int seconds) {
        if (seconds < 1) throw new IllegalArgumentException("code lifetime must be >= 1 s");
        codeLifetimeSeconds = seconds;
    }

    void setTokenLifetimeSeconds(int seconds) {
        if (seconds < 0) throw new IllegalArgumentException("token lifetime must be >= 0 s");
        tokenLifetimeSeconds = seconds;
    }

    /** No ids: any client is known again. */
    void allowClients(String... clientIds) {
        allowedClients.clear();
        allowedClients.addAll(Arrays.asList(clientIds));
    }

    boolean clientKnown(String clientId) {
        return clientId != null
                && !clientId.isBlank()
                && clientId.length() <= 256
                && (allowedClients.isEmpty() || allowedClients.contains(clientId));
    }

    // ---------------------------------------------------------------- device codes

    DeviceGrant newDeviceGrant(String clientId, String scope, long expiresAtMillis, int interval) {
        DeviceGrant g = null;
        for (int attempt = 0; attempt < 16 && g == null; attempt++) {
            String userCode = Ids.userCode();
            DeviceGrant candidate = new DeviceGrant(Ids.hex(40), userCode, clientId, scope, expiresAtMillis, interval);
            if (byUserCode.putIfAbsent(Ids.normalizeUserCode(userCode), candidate) == null) g = candidate;
        }
        if (g == null) throw new IllegalStateException("could not find a free user code");
        byDeviceCode.put(g.deviceCode, g);
        deviceCodesIssued.incrementAndGet();
        return g;
    }

    DeviceGrant deviceGrant(String deviceCode) {
        return byDeviceCode.get(deviceCode);
    }

    /** Approves as {@code login} (blank: {@value #DEFAULT_LOGIN}); returns the user code in its display form. */
    String approve(String userCode, String login) {
        DeviceGrant g = grantByUserCode(userCode);
        String who = login == null || login.isBlank() ? DEFAULT_LOGIN : login.strip();
        synchronized (g) {
            requireOpen(g);
            g.state = DeviceGrant.State.APPROVED;
            g.login = who;
        }
        return g.userCode;
    }

    /** Denies, again without complaint; returns the user code in its display form. */
    String deny(String userCode) {
        DeviceGrant g = grantByUserCode(userCode);
        synchronized (g) {
            if (g.state == DeviceGrant.State.DENIED) return g.userCode;
            requireOpen(g);
            g.state = DeviceGrant.State.DENIED;
        }
        return g.userCode;
    }

    private DeviceGrant grantByUserCode(String userCode) {
        DeviceGrant g = byUserCode.get(Ids.normalizeUserCode(userCode));
        if (g == null) throw new NoSuchElementException("unknown user code: " + userCode);
        return g;
    }

    private static void requireOpen(DeviceGrant g) {
        if (g.state == DeviceGrant.State.CONSUMED)
            throw new IllegalStateException("user code " + g.userCode + " was already redeemed");
        if (g.state == DeviceGrant.State.DENIED)
            throw new IllegalStateException("user code " + g.userCode + " was denied");
        if (System.currentTimeMillis() >= g.expiresAtMillis)
            throw new IllegalStateException("user code " + g.userCode + " has expired");
    }

    // ---------------------------------------------------------------- grants

    /** A forced slow_down: the code's interval grows as if it polled too fast; returns the interval to hand out. */
    int forceSlowDown(DeviceGrant g, long now) {
        if (g == null) return intervalSeconds + SLOW_DOWN_STEP_SECONDS;
        synchronized (g) {
            g.intervalSeconds += SLOW_DOWN_STEP_SECONDS;
            g.lastPollMillis = now;
            return g.intervalSeconds;
        }
    }

    /** The device_code grant: tokens once the user approved, else the error RFC 8628 prescribes. */
    GrantResult redeem(DeviceGrant g, String clientId, long now) {
        if (g == null) return OAuthError.invalidGrant("unknown device_code");
        String login;
        synchronized (g) {
            if (!g.clientId.equals(clientId))
                return OAuthError.invalidGrant("the device_code was issued to another client");
            if (g.state == DeviceGrant.State.CONSUMED)
                return OAuthError.invalidGrant("the device_code was already redeemed");
            if (now >= g.expiresAtMillis) return new OAuthError("expired_token", "the device_code has expired");
            long last = g.lastPollMillis;
            g.lastPollMillis = now;
            if (last != 0 && now - last < g.intervalSeconds * 1000L) {
                g.intervalSeconds += SLOW_DOWN_STEP_SECONDS;
                return OAuthError.slowDown("polling too fast; wait the interval between polls", g.intervalSeconds);
            }
            switch (g.state) {
                case PENDING -> {
                    return new OAuthError("authorization_pending", "the authorization request is still pending");
                }
                case DENIED -> {
                    return new OAuthError("access_denied", "the user denied the authorization request");
                }
                default -> {
                    g.state = DeviceGrant.State.CONSUMED;
                    login = g.login;
                }
            }
        }
        deviceTokensIssued.incrementAndGet();
        Tokens.Family family = new Tokens.Family(familyIds.incrementAndGet(), login, g.clientId, g.scope);
        families.put(family.id, family);
        return issueTokens(family, now);
    }

    /**
     * For a device flow that ends in an authorization code rather than tokens (Codex's): uses up an approved, unexpired
     * grant and returns its login; null otherwise (pending, denied, expired or already used).
     */
    String takeApproved(DeviceGrant g, long now) {
        String login;
        synchronized (g) {
            if (g.state != DeviceGrant.State.APPROVED || now >= g.expiresAtMillis) return null;
            g.state = DeviceGrant.State.CONSUMED;
            login = g.login;
        }
        deviceTokensIssued.incrementAndGet();
        return login;
    }

    /** Whether the user may still approve this grant. */
    boolean stillPending(DeviceGrant g, long now) {
        synchronized (g) {
            return g.state == DeviceGrant.State.PENDING && now < g.expiresAtMillis;
        }
    }

    /** The refresh_token grant with rotation: a refresh token works once; using it again revokes its family. */
    GrantResult refresh(String clientId, String refreshToken, long now) {
        if (!clientKnown(clientId)) {
            refreshGrantsRejected.incrementAndGet();
            return OAuthError.UNKNOWN_CLIENT;
        }
        Tokens.Refresh rt = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (rt == null) return rejectRefresh("unknown refresh_token");
        if (!rt.family.clientId.equals(clientId))
            return rejectRefresh("the refresh_token was issued to another client");
        synchronized (rt) {
            if (rt.used) {
                revokeFamily(rt.family);
                return rejectRefresh("refresh_token reuse detected; every token of this grant is revoked");
            }
            if (rt.family.revoked) return rejectRefresh("the refresh_token was revoked");
            if (rt.expiresAtMillis != 0 && now >= rt.expiresAtMillis)
                return rejectRefresh("the refresh_token has expired");
            rt.used = true;
        }
        refreshGrantsSucceeded.incrementAndGet();
        return issueTokens(rt.family, now);
    }

    private OAuthError rejectRefresh(String description) {
        refreshGrantsRejected.incrementAndGet();
        return OAuthError.invalidGrant(description);
    }

    private IssuedTokens issueTokens(Tokens.Family family, long now) {
        Flavor flavor = options.flavor();
        int lifetime = tokenLifetimeSeconds;
        String access = flavor.newAccessToken();
        accessTokens.put(access, new Tokens.Access(access, family, lifetime > 0 ? now + lifetime * 1000L : 0));
        String refresh = null;
        if (lifetime > 0) {
            refresh = flavor.newRefreshToken();
            int refreshLifetime = flavor.refreshTokenLifetimeSeconds();
            long refreshExpiry = refreshLifetime > 0 ? now + refreshLifetime * 1000L : 0;
            refreshTokens.put(refresh, new Tokens.Refresh(refresh, family, refreshExpiry));
        }
        return new IssuedTokens(family, access, refresh, lifetime, now);
    }

    // ---------------------------------------------------------------- tokens and revocation

    /** The access token with this value, valid or not; null for none. */
    Tokens.Access accessToken(String value) {
        return value == null ? null : accessTokens.get(value);
    }

    /** The access token with this value if it is still good; null when unknown, expired or revoked. */
    Tokens.Access validAccessToken(String value) {
        Tokens.Access a = accessToken(value);
        return a != null && a.valid(System.currentTimeMillis()) ? a : null;
    }

    /**
     * RFC 7009: revokes an access token alone, or a refresh token's whole family; a token of another client is left
     * alone. A null client may revoke any token.
     */
    void revokeToken(String token, String clientId) {
        Tokens.Access a = accessTokens.get(token);
        if (a != null && (clientId == null || clientId.equals(a.family.clientId))) a.revoked = true;
        Tokens.Refresh r = refreshTokens.get(token);
        if (r != null && (clientId == null || clientId.equals(r.family.clientId))) revokeFamily(r.family);
    }

    /** The user removes one app's authorization: every token that app holds for {@code login} is revoked. */
    void revokeAuthorization(String clientId, String login) {
        for (Tokens.Family f : families.values()) {
            if (f.clientId.equals(clientId) && f.login.equals(login)) revokeFamily(f);
        }
    }

    /** Every token of every grant {@code login} made, any client; returns how many families were newly revoked. */
    int revokeLogin(String login) {
        int n = 0;
        for (Tokens.Family f : families.values()) {
            if (f.login.equals(login) && revokeFamily(f)) n++;
        }
        return n;
    }

    private boolean revokeFamily(Tokens.Family f) {
        if (!f.revoke()) return false;
        familiesRevoked.incrementAndGet();
        log.debug("token family {} of {} revoked", f.id, f.login);
        return true;
    }

    GrantCounts counts() {
        return new GrantCounts(
                deviceCodesIssued.get(),
                deviceTokensIssued.get(),
                refreshGrantsSucceeded.get(),
                refreshGrantsRejected.get(),
                familiesRevoked.get());
    }
}
