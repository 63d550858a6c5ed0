package io.authrelay.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens a vendor issued for one credential.
 *
 * @param refreshToken null when a refresh did not rotate it
 */
record VendorTokens(
        VendorCredential credential, String accessToken, String refreshToken, int lifetimeSeconds, long issuedAtMillis)
        implements VendorGrantResult {

    /** The token endpoint's answer, as the credential's vendor words it. */
    Map<String, Object> answer(IdTokenSigner signer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetimeSeconds);
        if (refreshToken != null) body.put("refresh_token", refreshToken);
        credential.vendor().addTokenFields(body, credential, issuedAtMillis, signer);
        return body;
    }
}
