package io.authrelay.server.http;

import io.javalin.http.Context;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * Headers on every answer, API and console alike: nothing may frame, sniff, refer or load from elsewhere. The console's
 * scripts and styles are files from this daemon ({@code 'self'}); no inline script or style runs, and no other origin
 * is reached.
 */
public final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin");

    private SecurityHeaders() {}

    public static void apply(Context ctx) {
        HEADERS.forEach(ctx::header);
    }

    /** The same for an answer written outside Javalin ({@link VendHandler}). */
    static void apply(HttpFields.Mutable headers) {
        HEADERS.forEach(headers::put);
    }
}
