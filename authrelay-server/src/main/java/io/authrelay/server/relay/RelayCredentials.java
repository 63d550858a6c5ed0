package io.authrelay.server.relay;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The workspace token a sandbox presents to the relay: git sends it as the password of HTTP Basic (our credential
 * helper answers it for the relay's URL), other clients as a bearer token. Exactly one Authorization header; any
 * other shape is no token at all.
 */
final class RelayCredentials {
    private static final int MAX_TOKEN = 512;

    private RelayCredentials() {}

    /** @return the token, or null when the request carries none the relay reads */
    static String token(List<String> authorizations) {
        if (authorizations.size() != 1) return null;
        String header = authorizations.get(0);
        if (header.regionMatches(true, 0, "Bearer ", 0, 7))
            return bounded(header.substring(7).strip());
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : bounded(decoded.substring(colon + 1));
    }

    private static String bounded(String token) {
        return token.isEmpty() || token.length() > MAX_TOKEN ? null : token;
    }
}
