package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a workspace may receive: one provider's credential, for one host and the repository paths matching
 * {@code pathPattern} (a glob: {@code *} within one path segment, {@code **} across segments; null = any path).
 */
public record Grant(String provider, String host, String pathPattern) {
    public Grant {
        host = host.toLowerCase(Locale.ROOT);
        pathPattern = pathPattern == null || pathPattern.isBlank() || pathPattern.equals("**")
                ? null
                : normalise(pathPattern);
    }

    /** Parses {@code HOST[/PATHGLOB]} as typed after {@code PROVIDER=} in {@code --grant}. */
    public static Grant parse(String provider, String hostPattern, String defaultHost) {
        if (hostPattern == null || hostPattern.isBlank()) return new Grant(provider, defaultHost, null);
        int slash = hostPattern.indexOf('/');
        String host = slash < 0 ? hostPattern : hostPattern.substring(0, slash);
        String path = slash < 0 ? null : hostPattern.substring(slash + 1);
        if (!host.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            throw DomainException.invalid(
                    "invalid_grant_pattern",
                    "grant host '" + host + "' is not a host name",
                    "for example: github=github.com/my-org/*");
        }
        return new Grant(provider, host, path);
    }

    public boolean matches(String requestHost, String requestPath) {
        if (requestHost == null || !host.equalsIgnoreCase(requestHost)) return false;
        if (pathPattern == null) return true;
        return requestPath != null
                && toRegex(pathPattern).matcher(normalise(requestPath)).matches();
    }

    /** git sends paths like "org/repo.git"; grants are written without the suffix or leading slash. */
    static String normalise(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith(".git") ? p.substring(0, p.length() - 4) : p;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return provider + "=" + host + (pathPattern == null ? "" : "/" + pathPattern);
    }
}
