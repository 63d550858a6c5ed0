package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device login of {@code codex login --device-auth --experimental_issuer BASE/openai}: a user code, polls that
 * answer 403 until the user approves the code (through {@code /sim/approve} or the device page, as every device grant
 * here), then an authorization code with its PKCE pair, which Codex redeems at the OpenAI token endpoint.
 */
final class CodexDeviceAuth {
    static final String USER_CODE_PATH = "/api/accounts/deviceauth/usercode";
    static final String TOKEN_PATH = "/api/accounts/deviceauth/token";
    static final String DEVICE_PAGE = "/codex/device";
    private static final String POLL_GRANT_TYPE = "codex_device_auth";

    private final GrantState grants;
    private final VendorGrants vendorGrants;
    private final FaultInjector faults;
    private final PollLog polls;

    CodexDeviceAuth(GrantState grants, VendorGrants vendorGrants, FaultInjector faults, PollLog polls) {
        this.grants = grants;
        this.vendorGrants = vendorGrants;
        this.faults = faults;
        this.polls = polls;
    }

    void userCode(Context ctx) {
        Map<String, String> p = Requests.params(ctx);
        if (faults.inject(ctx, null)) return;
        if (!Vendor.OPENAI.clientId().equals(p.get("client_id"))) {
            error(ctx, VendorRejection.UNKNOWN_CLIENT);
            return;
        }
        long now = System.currentTimeMillis();
        int interval = grants.intervalSeconds();
        DeviceGrant g =
                grants.newDeviceGrant(p.get("client_id"), "", now + grants.codeLifetimeSeconds() * 1000L, interval);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_auth_id", g.deviceCode);
        body.put("user_code", g.userCode);
        body.put("interval", Integer.toString(interval)); // OpenAI sends it as a string
        Wire.json(ctx, 200, body);
    }

    void poll(Context ctx) {
        long now = System.currentTimeMillis();
        Map<String, String> p = Requests.params(ctx);
        DeviceGrant g = grants.deviceGrant(p.getOrDefault("device_auth_id", ""));
        PollLog.Request poll = new PollLog.Request(now, POLL_GRANT_TYPE, g == null ? null : g.userCode);
        if (faults.inject(ctx, poll)) return;
        String login = g == null ? null : grants.takeApproved(g, now);
        if (login != null) {
            VendorGrants.AuthorizationCode code = vendorGrants.newAuthorizationCode(login);
            polls.record(poll, 200, null);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("authorization_code", code.code());
            body.put("code_challenge", code.challenge());
            body.put("code_verifier", code.verifier());
            Wire.json(ctx, 200, body);
        } else if (g != null && grants.stillPending(g, now)) {
            polls.record(poll, 403, "authorization_pending");
            Wire.json(ctx, 403, Vendor.OPENAI.errorBody("deviceauth_authorization_pending", "authorization pending"));
        } else {
            polls.record(poll, 400, "invalid_grant");
            error(ctx, VendorRejection.UNKNOWN_CODE);
        }
    }

    private static void error(Context ctx, VendorRejection r) {
        Wire.json(ctx, r.status(), Vendor.OPENAI.errorBody(Vendor.OPENAI.errorCode(r), r.description()));
    }
}
