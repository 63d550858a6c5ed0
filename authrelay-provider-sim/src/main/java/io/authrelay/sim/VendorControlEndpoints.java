package io.authrelay.sim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /sim/*} endpoints of the vendor stand-ins: mint a credential without a login, list credentials with their
 * refresh grant counts, revoke one, refresh one as the broker would and answer with its access token only (what a
 * workspace's CLI gets when its "refresh" reaches the broker), and read or clear the API request log.
 */
final class VendorControlEndpoints {
    static final int MAX_EXPIRES_IN = 86_400 * 366;

    private final VendorGrants grants;
    private final ApiRequestLog requests;

    VendorControlEndpoints(VendorGrants grants, ApiRequestLog requests) {
        this.grants = grants;
        this.requests = requests;
    }

    void addRoutes(RoutesConfig r) {
        r.post("/sim/vendor-credentials", this::mint);
        r.get("/sim/vendor-credentials", ctx -> Wire.json(ctx, 200, Map.of("credentials", credentials())));
        r.post(
                "/sim/vendor-credentials/{id}/revoke",
                ctx -> withCredential(ctx, c -> {
                    c.revoke();
                    Wire.json(ctx, 200, describe(c));
                }));
        r.post(
                "/sim/vendor-credentials/{id}/access-only-refresh",
                ctx -> withCredential(ctx, c -> {
                    requests.record(ctx, Requests.params(ctx));
                    accessOnlyRefresh(ctx, c);
                }));
        r.get("/sim/api-requests", ctx -> Wire.json(ctx, 200, Map.of("requests", apiRequests())));
        r.delete("/sim/api-requests", ctx -> {
            requests.clear();
            Wire.json(ctx, 200, Map.of("cleared", true));
        });
    }

    private void mint(Context ctx) {
        JsonNode body;
        try {
            byte[] raw = ctx.bodyAsBytes();
            body = raw.length == 0 ? Wire.MAPPER.createObjectNode() : Wire.MAPPER.readTree(raw);
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            Wire.error(ctx, 400, "invalid_json", "body must be a JSON object");
            return;
        }
        Vendor vendor = Vendor.named(body.path("vendor").asString(""));
        if (vendor == null) {
            Wire.error(ctx, 400, "invalid_value", "vendor must be one of " + Vendor.names());
            return;
        }
        String login = body.path("login").asString(GrantState.DEFAULT_LOGIN);
        boolean rotating = body.path("rotating").asBoolean(vendor.rotatesRefreshTokens());
        int expiresIn = body.path("expires_in").asInt(vendor.accessTokenLifetimeSeconds());
        if (login.isBlank() || Math.abs((long) expiresIn) > MAX_EXPIRES_IN) {
            Wire.error(ctx, 400, "invalid_value", "login must not be blank; |expires_in| at most " + MAX_EXPIRES_IN);
            return;
        }
        VendorTokens t = grants.mint(vendor, login.strip(), rotating, expiresIn, System.currentTimeMillis());
        Map<String, Object> answer = new LinkedHashMap<>(t.answer(grants.signer()));
        answer.put("credential_id", t.credential().id());
        answer.put("account_id", t.credential().accountId());
        Wire.json(ctx, 200, answer);
    }

    private void accessOnlyRefresh(Context ctx, VendorCredential c) {
        switch (grants.refreshLive(c, System.currentTimeMillis())) {
            case VendorTokens t -> {
                Map<String, Object> answer = t.answer(grants.signer());
                answer.remove("refresh_token");
                Wire.json(ctx, 200, answer);
            }
            case VendorRejection r -> {
                Vendor v = c.vendor();
                Wire.json(ctx, r.status(), v.errorBody(v.errorCode(r), r.description()));
            }
        }
    }

    private void withCredential(Context ctx, Consumer<VendorCredential> action) {
        VendorCredential c = grants.credential(ctx.pathParam("id"));
        if (c == null) {
            Wire.error(ctx, 404, "unknown_credential", "no vendor credential has this id");
            return;
        }
        action.accept(c);
    }

    private List<Map<String, Object>> credentials() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VendorCredential c : grants.credentials()) out.add(describe(c));
        return out;
    }

    private static Map<String, Object> describe(VendorCredential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("credential_id", c.id());
        m.put("vendor", c.vendor().vendorName());
        m.put("login", c.login());
        m.put("account_id", c.accountId());
        m.put("rotating", c.rotating());
        m.put("refresh_grants", c.refreshGrants());
        m.put("revoked", c.revoked());
        return m;
    }

    private List<Map<String, Object>> apiRequests() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ApiRequest a : requests.snapshot()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", a.atEpochMillis());
            m.put("method", a.method());
            m.put("path", a.path());
            m.put("authorization", a.authorization());
            m.put("x_api_key", a.apiKey());
            m.put("chatgpt_account_id", a.chatgptAccountId());
            m.put("params", a.params());
            out.add(m);
        }
        return out;
    }
}
