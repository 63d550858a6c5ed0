package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device authorization endpoint (RFC 8628) and the token endpoint (device_code and refresh_token grants) that
 * every flavour serves at its own paths. Both run behind fault injection; token requests go to the poll log.
 */
final class DeviceFlowEndpoints {
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String REFRESH_GRANT = "refresh_token";
    private static final int MAX_LOGGED_GRANT_TYPE = 200;

    private final ProviderSimulator sim;
    private final GrantState grants;
    private final FaultInjector faults;
    private final PollLog polls;

    DeviceFlowEndpoints(ProviderSimulator sim, GrantState grants, FaultInjector faults, PollLog polls) {
        this.sim = sim;
        this.grants = grants;
        this.faults = faults;
        this.polls = polls;
    }

    void deviceAuthorization(Context ctx) {
        Map<String, String> p = Requests.params(ctx);
        if (faults.inject(ctx, null)) return;
        issueDeviceCode(ctx, p).send(ctx);
    }

    private Reply issueDeviceCode(Context ctx, Map<String, String> p) {
        Flavor flavor = sim.flavor();
        String clientId = Requests.clientId(ctx, p);
        if (!grants.clientKnown(clientId)) return OAuthError.UNKNOWN_CLIENT.reply(ctx, flavor, false);
        long now = System.currentTimeMillis();
        int lifetime = grants.codeLifetimeSeconds();
        int interval = grants.intervalSeconds();
        String scope = p.getOrDefault("scope", "").strip();
        DeviceGrant g = grants.newDeviceGrant(clientId, scope, now + lifetime * 1000L, interval);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", g.deviceCode);
        body.put("user_code", g.userCode);
        flavor.addVerificationUris(body, sim.baseUrl(), g.userCode);
        body.put("expires_in", lifetime);
        body.put("interval", interval);
        return Reply.of(200, flavor.answerFormat(ctx), body, null, Reply.NO_STORE);
    }

    void token(Context ctx) {
        long at = System.currentTimeMillis();
        Map<String, String> p = Requests.params(ctx);
        String grantType = canonicalGrantType(p.get("grant_type"));
        DeviceGrant g = DEVICE_GRANT.equals(grantType) ? grants.deviceGrant(p.getOrDefault("device_code", "")) : null;
        PollLog.Request poll = new PollLog.Request(at, grantType, g == null ? null : g.userCode);
        if (faults.inject(ctx, poll)) return;
        GrantResult result;
        if (DEVICE_GRANT.equals(grantType)) {
            result = deviceCodeGrant(Requests.clientId(ctx, p), g, at);
        } else if (REFRESH_GRANT.equals(grantType)) {
            result = grants.refresh(Requests.clientId(ctx, p), p.get("refresh_token"), at);
        } else {
            String description = grantType == null ? "grant_type is required" : "unsupported grant_type";
            result = new OAuthError("unsupported_grant_type", description);
        }
        Reply reply = answer(ctx, result);
        PollLog.Entry entry = polls.record(poll, reply.status(), reply.error());
        if (!reply.send(ctx)) entry.markTimedOut();
    }

    private GrantResult deviceCodeGrant(String clientId, DeviceGrant g, long now) {
        if (!grants.clientKnown(clientId)) return OAuthError.UNKNOWN_CLIENT;
        if (faults.takeForcedSlowDown()) {
            return OAuthError.slowDown("forced slow_down (fault injection)", grants.forceSlowDown(g, now));
        }
        return grants.redeem(g, clientId, now);
    }

    private Reply answer(Context ctx, GrantResult result) {
        Flavor flavor = sim.flavor();
        return switch (result) {
            case IssuedTokens tokens ->
                Reply.of(
                        200,
                        flavor.answerFormat(ctx),
                        flavor.tokenResponse(tokens, sim),
                        null,
                        Reply.NO_STORE_NO_CACHE);
            case OAuthError error -> error.reply(ctx, flavor, true);
        };
    }

    /** The known grant types as the shared constants, others cut short: the poll log keeps millions of them. */
    static String canonicalGrantType(String raw) {
        if (raw == null) return null;
        if (DEVICE_GRANT.equals(raw)) return DEVICE_GRANT;
        if (REFRESH_GRANT.equals(raw)) return REFRESH_GRANT;
        return raw.length() > MAX_LOGGED_GRANT_TYPE ? raw.substring(0, MAX_LOGGED_GRANT_TYPE) : raw;
    }
}
