package io.authrelay.sim;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OAuth error answer (RFC 6749 section 5.2, RFC 8628 section 3.5).
 *
 * @param interval the polling interval a slow_down hands out, -1 for other errors
 */
record OAuthError(String code, String description, int interval) implements GrantResult {

    static final OAuthError UNKNOWN_CLIENT = new OAuthError("invalid_client", "unknown client_id");

    OAuthError(String code, String description) {
        this(code, description, -1);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description);
    }

    static OAuthError slowDown(String description, int interval) {
        return new OAuthError("slow_down", description, interval);
    }

    /** RFC 6749 section 5.2: 401 for a client that failed authentication, else 400. */
    int standardStatus() {
        return code.equals("invalid_client") ? 401 : 400;
    }

    /** This error as the flavour words it, at the token endpoint or the device authorization endpoint. */
    Reply reply(Context ctx, Flavor flavor, boolean atTokenEndpoint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        flavor.addErrorDetails(body, this);
        return Reply.of(
                flavor.errorStatus(this, atTokenEndpoint), flavor.answerFormat(ctx), body, code, Reply.NO_STORE);
    }
}
