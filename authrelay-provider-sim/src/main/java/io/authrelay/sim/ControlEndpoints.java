package io.authrelay.sim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * The {@code /sim/*} endpoints, the same for every flavour: act as the user (approve, deny, revoke), read the poll log
 * and the grant counters, set faults, reset.
 */
final class ControlEndpoints {
    private final ProviderSimulator sim;
    private final GrantState grants;
    private final FaultSettings faultSettings;

    ControlEndpoints(ProviderSimulator sim, GrantState grants, FaultInjector faults) {
        this.sim = sim;
        this.grants = grants;
        this.faultSettings = new FaultSettings(faults, grants);
    }

    void addRoutes(RoutesConfig r) {
        r.post("/sim/approve", ctx -> decide(ctx, "approved", (code, p) -> grants.approve(code, p.get("login"))));
        r.post("/sim/deny", ctx -> decide(ctx, "denied", (code, p) -> grants.deny(code)));
        r.post("/sim/revoke", this::revokeLogin);
        r.get("/sim/polls", this::polls);
        r.get("/sim/faults", ctx -> Wire.json(ctx, 200, faultSettings.document()));
        r.post("/sim/faults", faultSettings::update);
        r.get("/sim/grants", ctx -> Wire.json(ctx, 200, grantsDocument()));
        r.post("/sim/reset", ctx -> {
            sim.reset();
            Wire.json(ctx, 200, Map.of("reset", true));
        });
    }

    /** Approves or denies the request's user_code; {@code decision} returns the code in its display form. */
    private static void decide(Context ctx, String outcome, BiFunction<String, Map<String, String>, String> decision) {
        Map<String, String> p = Requests.params(ctx);
        String userCode = p.get("user_code");
        if (userCode == null) {
            Wire.error(ctx, 400, "invalid_request", "user_code is required");
            return;
        }
        try {
            Wire.json(ctx, 200, Map.of(outcome, decision.apply(userCode, p)));
        } catch (NoSuchElementException e) {
            Wire.json(ctx, 404, Map.of("error", "unknown_user_code"));
        } catch (IllegalStateException e) {
            Wire.error(ctx, 409, "not_pending", e.getMessage());
        }
    }

    private void revokeLogin(Context ctx) {
        String login = Requests.params(ctx).get("login");
        if (login == null || login.isBlank()) {
            Wire.error(ctx, 400, "invalid_request", "login is required");
            return;
        }
        Wire.json(ctx, 200, Map.of("login", login, "families_revoked", grants.revokeLogin(login)));
    }

    private void polls(Context ctx) {
        long since = Long.MIN_VALUE;
        String s = ctx.queryParam("since");
        if (s != null) {
            try {
                since = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                Wire.error(ctx, 400, "invalid_request", "since must be epoch milliseconds");
                return;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Poll poll : sim.polls()) {
            if (poll.atEpochMillis() < since) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", poll.atEpochMillis());
            m.put("grant_type", poll.grantType());
            m.put("user_code", poll.userCode());
            m.put("status", poll.httpStatus());
            m.put("error", poll.error());
            out.add(m);
        }
        Wire.json(ctx, 200, Map.of("polls", out));
    }

    private Map<String, Object> grantsDocument() {
        GrantCounts c = grants.counts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_codes_issued", c.deviceCodesIssued());
        m.put("device_tokens_issued", c.deviceTokensIssued());
        m.put("refresh_grants_succeeded", c.refreshGrantsSucceeded());
        m.put("refresh_grants_rejected", c.refreshGrantsRejected());
        m.put("families_revoked", c.familiesRevoked());
        return m;
    }
}
