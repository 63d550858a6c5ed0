package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.Map;

/**
 * A vendor's token endpoint: the refresh_token grant in the body format the vendor takes (JSON or form, both read),
 * and for OpenAI also the authorization_code grant that ends Codex's device login. Behind fault injection; every
 * request goes to the poll log and, with its secrets blanked, to the API request log.
 */
final class VendorTokenEndpoint {
    private final Vendor vendor;
    private final VendorGrants grants;
    private final FaultInjector faults;
    private final PollLog polls;
    private final ApiRequestLog requests;

    VendorTokenEndpoint(
            Vendor vendor, VendorGrants grants, FaultInjector faults, PollLog polls, ApiRequestLog requests) {
        this.vendor = vendor;
        this.grants = grants;
        this.faults = faults;
        this.polls = polls;
        this.requests = requests;
    }

    void token(Context ctx) {
        long at = System.currentTimeMillis();
        Map<String, String> p = Requests.params(ctx);
        requests.record(ctx, p);
        PollLog.Request poll =
                new PollLog.Request(at, DeviceFlowEndpoints.canonicalGrantType(p.get("grant_type")), null);
        if (faults.inject(ctx, poll)) return;
        VendorGrantResult result = switch (p.getOrDefault("grant_type", "")) {
            case DeviceFlowEndpoints.REFRESH_GRANT -> grants.refresh(vendor, p, at);
            case "authorization_code" ->
                vendor == Vendor.OPENAI ? grants.exchangeCode(vendor, p, at) : VendorRejection.UNSUPPORTED_GRANT;
            default -> VendorRejection.UNSUPPORTED_GRANT;
        };
        Reply reply = reply(result);
        PollLog.Entry entry = polls.record(poll, reply.status(), reply.error());
        if (!reply.send(ctx)) entry.markTimedOut();
    }

    private Reply reply(VendorGrantResult result) {
        return switch (result) {
            case VendorTokens tokens ->
                Reply.of(200, WireFormat.JSON, tokens.answer(grants.signer()), null, Reply.NO_STORE_NO_CACHE);
            case VendorRejection r -> {
                String code = vendor.errorCode(r);
                yield Reply.of(
                        r.status(), WireFormat.JSON, vendor.errorBody(code, r.description()), code, Reply.NO_STORE);
            }
        };
    }
}
