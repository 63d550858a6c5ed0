package io.authrelay.server.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;

/**
 * Claims read from tokens that came straight from a token endpoint over TLS, without signature checks (OpenID Connect
 * Core 3.1.3.7 accepts the TLS channel in place of the signature for an id_token; an access token's {@code exp} is
 * only a hint when to refresh).
 */
final class JwtClaims {
    private JwtClaims() {}

    /** The id_token's preferred_username, else its subject; null when it is not a JWT. */
    static String subject(Object idToken) {
        JWTClaimsSet claims = claims(idToken);
        if (claims == null) return null;
        try {
            String name = claims.getStringClaim("preferred_username");
            return name != null ? name : claims.getSubject();
        } catch (ParseException e) {
            return claims.getSubject();
        }
    }

    /** The token's {@code exp}; null when it is not a JWT or has none. */
    static Instant expiry(String token) {
        JWTClaimsSet claims = claims(token);
        Date exp = claims == null ? null : claims.getExpirationTime();
        return exp == null ? null : exp.toInstant();
    }

    private static JWTClaimsSet claims(Object token) {
        if (!(token instanceof String jwt)) return null;
        try {
            return JWTParser.parse(jwt).getJWTClaimsSet();
        } catch (ParseException e) {
            return null;
        }
    }
}
