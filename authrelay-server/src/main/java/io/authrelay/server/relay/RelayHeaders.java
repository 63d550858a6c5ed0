package io.authrelay.server.relay;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Which headers cross the relay. Requests: an allow-list, so no credential the sandbox sends (Authorization,
 * Proxy-Authorization, Cookie, {@code X-*-Token}, {@code Private-Token}, any header a forge may one day read as a
 * credential, in any number of copies) can reach the upstream; only the relay's own Authorization is added after.
 * Responses: everything but what would hand the sandbox a session or a challenge for the upstream's credential
 * ({@code Set-Cookie}, {@code WWW-Authenticate}, {@code Proxy-Authenticate}, {@code Authentication-Info}) and the
 * {@code Location} of a redirect: the relay never follows one and never points the sandbox at another host, so git
 * reports the redirect as an error instead of leaving through a door the relay does not guard.
 */
final class RelayHeaders {
    /** What git's smart HTTP needs; framing headers (Content-Length, Transfer-Encoding) are Jetty's to set. */
    private static final Set<String> GIT_REQUEST = Set.of(
            "accept",
            "accept-encoding",
            "accept-language",
            "content-type",
            "content-encoding",
            "git-protocol",
            "user-agent");

    /**
     * What the AI CLIs' API calls need: the vendors' versioning and feature headers, and the SDKs' descriptive
     * {@code x-stainless-*} ones. Never {@code x-api-key}, {@code x-goog-api-key} or any other credential.
     */
    private static final Set<String> API_REQUEST = Set.of(
            "accept",
            "accept-encoding",
            "accept-language",
            "content-type",
            "content-encoding",
            "user-agent",
            "anthropic-version",
            "anthropic-beta",
            "x-app",
            "x-client-request-id",
            "x-goog-api-client");

    private static final String SDK_PREFIX = "x-stainless-";

    static final RelayHeaders GIT = new RelayHeaders(GIT_REQUEST, null);
    static final RelayHeaders API = new RelayHeaders(API_REQUEST, SDK_PREFIX);

    private static final Set<String> RESPONSE_DROPPED = Set.of(
            "set-cookie",
            "set-cookie2",
            "www-authenticate",
            "proxy-authenticate",
            "authentication-info",
            "proxy-authentication-info",
            "location",
            "content-location",
            "refresh");

    private final Set<String> allowed;
    private final String allowedPrefix;

    private RelayHeaders(Set<String> allowed, String allowedPrefix) {
        this.allowed = allowed;
        this.allowedPrefix = allowedPrefix;
    }

    /** The request headers to send upstream: allowed names only, before the relay adds its own credential. */
    void copyRequest(HttpFields incoming, HttpFields.Mutable outgoing) {
        for (HttpField field : incoming) {
            String name = field.getLowerCaseName();
            if (allowed.contains(name) || (allowedPrefix != null && name.startsWith(allowedPrefix)))
                outgoing.add(field);
        }
    }

    /** A response header as the sandbox may see it, or null to drop it. */
    static HttpField filterResponse(HttpField field) {
        return RESPONSE_DROPPED.contains(field.getName().toLowerCase(Locale.ROOT)) ? null : field;
    }
}
