package io.authrelay.sim;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The claims of OpenAI's tokens that Codex reads: the {@code https://api.openai.com/auth} object and {@code exp}. */
final class OpenAiClaims {
    static final String AUTH_CLAIM = "https://api.openai.com/auth";
    static final String ISSUER = "https://auth.openai.com";

    private OpenAiClaims() {}

    static JWTClaimsSet accessToken(VendorCredential c, long now, int lifetimeSeconds) {
        return base(c, now, lifetimeSeconds)
                .audience(List.of("https://api.openai.com/v1"))
                .claim("scp", List.of("openid", "profile", "email", "offline_access"))
                .build();
    }

    static JWTClaimsSet idToken(VendorCredential c, long now) {
        return base(c, now, Vendor.OPENAI.accessTokenLifetimeSeconds())
                .audience(Vendor.OPENAI.clientId())
                .claim("email", c.login() + "@example.test")
                .claim("email_verified", true)
                .build();
    }

    private static JWTClaimsSet.Builder base(VendorCredential c, long now, int lifetimeSeconds) {
        long issuedAt = now / 1000;
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("chatgpt_account_id", c.accountId());
        auth.put("chatgpt_plan_type", "pro");
        auth.put("chatgpt_user_id", "user-" + c.login());
        auth.put("user_id", "user-" + c.login());
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("auth0|" + c.login())
                .issueTime(new Date(issuedAt * 1000))
                .expirationTime(new Date((issuedAt + lifetimeSeconds) * 1000))
                .jwtID(Ids.hex(16))
                .claim(AUTH_CLAIM, auth);
    }
}
