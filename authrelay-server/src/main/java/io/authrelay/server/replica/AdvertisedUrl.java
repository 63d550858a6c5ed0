package io.authrelay.server.replica;

import io.authrelay.server.DaemonOptions;
import io.authrelay.server.StartupRefusal;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * Where this replica's API can be reached, as other replicas and clients are told (the owner of an AI-CLI login's
 * run). {@link #ENV} names it; without it, a daemon listening on one address advertises that address, and one
 * listening on every address ({@code 0.0.0.0}) advertises none.
 */
public final class AdvertisedUrl {
    public static final String ENV = "AUTHRELAY_ADVERTISE_URL";

    private AdvertisedUrl() {}

    public static String resolve(Map<String, String> env, DaemonOptions options, int port) {
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) return normalise(named.strip());
        String host = options.listen().host();
        if (isWildcard(host)) return null;
        String scheme = options.tls() ? "https" : "http";
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Scheme and host lower-cased, no user info, query, fragment or path: compared and shown exactly as given. */
    static String normalise(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw refused(value, "it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw refused(value, "it must start with http:// or https://");
        if (uri.getHost() == null) throw refused(value, "it has no host");
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw refused(value, "it must not carry user info, a query or a fragment");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) throw refused(value, "it must not have a path");
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static StartupRefusal refused(String value, String why) {
        // A URL with user info may carry a password: it is not repeated into the log.
        String shown = value.contains("@") ? "(a URL with user info)" : "'" + value + "'";
        return new StartupRefusal(
                ENV + " " + shown + " is refused: " + why + " (for example https://authrelay-0.internal:7878)");
    }
}
