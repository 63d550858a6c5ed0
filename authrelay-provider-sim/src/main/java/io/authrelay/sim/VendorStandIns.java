package io.authrelay.sim;

import io.javalin.config.RoutesConfig;

/**
 * What every simulator serves for the AI CLI vendors, whatever its flavour, each under its vendor's prefix: the token
 * endpoints, Codex's device login (issuer {@code BASE/openai}), and the fake model APIs; their control endpoints are
 * {@link VendorControlEndpoints}.
 */
final class VendorStandIns {
    private final GrantState grants;
    private final VendorGrants vendorGrants;
    private final FaultInjector faults;
    private final PollLog polls;
    private final ApiRequestLog requests;

    VendorStandIns(
            GrantState grants, VendorGrants vendorGrants, FaultInjector faults, PollLog polls, ApiRequestLog requests) {
        this.grants = grants;
        this.vendorGrants = vendorGrants;
        this.faults = faults;
        this.polls = polls;
        this.requests = requests;
    }

    void addRoutes(RoutesConfig r) {
        for (Vendor v : Vendor.values()) {
            r.post(v.tokenPath(), new VendorTokenEndpoint(v, vendorGrants, faults, polls, requests)::token);
        }
        CodexDeviceAuth codex = new CodexDeviceAuth(grants, vendorGrants, faults, polls);
        String openai = Vendor.OPENAI.prefix();
        r.post(openai + CodexDeviceAuth.USER_CODE_PATH, codex::userCode);
        r.post(openai + CodexDeviceAuth.TOKEN_PATH, codex::poll);
        r.get(openai + CodexDeviceAuth.DEVICE_PAGE, ctx -> DevicePage.show(ctx, Vendor.OPENAI.vendorName()));
        new VendorControlEndpoints(vendorGrants, requests).addRoutes(r);
        new FakeVendorApis(requests, vendorGrants)
                .addRoutes(r); // last: its catch-alls must not shadow the routes above
    }
}
