package io.authrelay.sim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The credentials the vendor stand-ins issued: minted by a test, or logged in through Codex's device flow. Each keeps
 * every refresh token it ever had, so a reused one is told apart from an unknown one.
 */
final class VendorGrants {
    /** An authorization code Codex's device flow hands out, bound to its PKCE verifier. */
    record AuthorizationCode(String code, String challenge, String verifier, String login) {}

    private final IdTokenSigner signer;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentSkipListMap<Long, VendorCredential> credentials = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, VendorCredential> byRefreshToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, VendorCredential> byAccessToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AuthorizationCode> codes = new ConcurrentHashMap<>();

    VendorGrants(IdTokenSigner signer) {
        this.signer = signer;
    }

    IdTokenSigner signer() {
        return signer;
    }

    /** A new credential with its first tokens; {@code lifetimeSeconds} may be negative for an access token already expired. */
    VendorTokens mint(Vendor vendor, String login, boolean rotating, int lifetimeSeconds, long now) {
        long id = ids.incrementAndGet();
        VendorCredential c = new VendorCredential(Long.toString(id), vendor, login, rotating);
        credentials.put(id, c);
        String refresh = vendor.newRefreshToken();
        byRefreshToken.put(refresh, c);
        c.start(refresh);
        return new VendorTokens(c, newAccessToken(c, now, lifetimeSeconds), refresh, lifetimeSeconds, now);
    }

    /** The refresh_token grant: the client must be the vendor's CLI, and the token the credential's live one. */
    VendorGrantResult refresh(Vendor vendor, Map<String, String> params, long now) {
        if (!clientAuthenticated(vendor, params)) return VendorRejection.UNKNOWN_CLIENT;
        String token = params.get("refresh_token");
        if (token == null || token.isBlank()) return VendorRejection.MISSING_PARAMETER;
        VendorCredential c = byRefreshToken.get(token);
        if (c == null || c.vendor() != vendor) return VendorRejection.UNKNOWN_TOKEN;
        return refresh(c, token, now);
    }

    /** Refreshes a credential with its live refresh token, as the one refresher that holds it would. */
    VendorGrantResult refreshLive(VendorCredential c, long now) {
        return refresh(c, c.liveRefreshToken(), now);
    }

    private VendorGrantResult refresh(VendorCredential c, String token, long now) {
        Vendor v = c.vendor();
        String next = c.rotating() ? v.newRefreshToken() : null;
        // registered before the credential hands it out, so that a client quick to use it finds it
        if (next != null) byRefreshToken.put(next, c);
        VendorRejection rejected = c.redeem(token, next);
        if (rejected != null) {
            if (next != null) byRefreshToken.remove(next);
            return rejected;
        }
        int lifetime = v.accessTokenLifetimeSeconds();
        return new VendorTokens(c, newAccessToken(c, now, lifetime), next, lifetime, now);
    }

    /** Codex's device flow, once approved: an authorization code for {@code login}, redeemable once. */
    AuthorizationCode newAuthorizationCode(String login) {
        String verifier = Ids.alnum(64);
        AuthorizationCode code = new AuthorizationCode(Ids.alnum(40), Pkce.s256(verifier), verifier, login);
        codes.put(code.code(), code);
        return code;
    }

    /** The authorization_code grant: a new credential for the code's login. */
    VendorGrantResult exchangeCode(Vendor vendor, Map<String, String> params, long now) {
        if (!clientAuthenticated(vendor, params)) return VendorRejection.UNKNOWN_CLIENT;
        String code = params.get("code");
        String verifier = params.get("code_verifier");
        if (code == null || verifier == null) return VendorRejection.MISSING_PARAMETER;
        AuthorizationCode issued = codes.get(code);
        if (issued == null || !issued.verifier().equals(verifier) || !codes.remove(code, issued))
            return VendorRejection.UNKNOWN_CODE;
        return mint(vendor, issued.login(), vendor.rotatesRefreshTokens(), vendor.accessTokenLifetimeSeconds(), now);
    }

    /** Credential id → the access token issued to it last: the only one a strict fake API takes. */
    private final ConcurrentHashMap<String, String> currentAccessTokens = new ConcurrentHashMap<>();

    private volatile boolean apiTakesOnlyCurrentTokens;
    private final AtomicLong apiRejections = new AtomicLong();

    /** The next {@code n} calls to the fake vendor APIs are refused with 401, whatever they carry (0 ends it). */
    void rejectNextApiCalls(int n) {
        apiRejections.set(n);
    }

    /** When set, the fake vendor APIs take only a credential's latest access token; any token otherwise. */
    void apiTakesOnlyCurrentTokens(boolean strict) {
        apiTakesOnlyCurrentTokens = strict;
    }

    String currentAccessToken(String credentialId) {
        return currentAccessTokens.get(credentialId);
    }

    /** Whether a fake vendor API takes this credential (an Authorization or x-api-key value, or null). */
    boolean apiAccepts(Vendor vendor, String authorization, String apiKey) {
        if (apiRejections.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return false;
        if (!apiTakesOnlyCurrentTokens) return authorization != null || apiKey != null;
        if (apiKey != null || authorization == null || !authorization.startsWith("Bearer ")) return false;
        String token = authorization.substring(7);
        VendorCredential c = credentialOfAccessToken(token);
        return c != null && c.vendor() == vendor && token.equals(currentAccessTokens.get(c.id()));
    }

    /**
     * Whether a ChatGPT backend call names its token's own account, as the real backend needs for a team workspace:
     * when strict, exactly one ChatGPT-Account-ID, the account id of the credential the bearer was issued to.
     */
    boolean apiAcceptsAccount(String authorization, List<String> accountIds) {
        if (!apiTakesOnlyCurrentTokens) return true;
        VendorCredential c = authorization == null ? null : credentialOfAccessToken(authorization.substring(7));
        return c != null && accountIds.equals(List.of(c.accountId()));
    }

    /** The credential an access token was issued to, or null. */
    VendorCredential credentialOfAccessToken(String accessToken) {
        return accessToken == null ? null : byAccessToken.get(accessToken);
    }

    private String newAccessToken(VendorCredential c, long now, int lifetimeSeconds) {
        String token = c.vendor().newAccessToken(c, now, lifetimeSeconds, signer);
        byAccessToken.put(token, c);
        currentAccessTokens.put(c.id(), token);
        return token;
    }

    VendorCredential credential(String id) {
        try {
            return credentials.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Oldest first. */
    List<VendorCredential> credentials() {
        return List.copyOf(credentials.values());
    }

    private static boolean clientAuthenticated(Vendor vendor, Map<String, String> params) {
        if (!vendor.clientId().equals(params.get("client_id"))) return false;
        return vendor.clientSecret() == null || vendor.clientSecret().equals(params.get("client_secret"));
    }
}
