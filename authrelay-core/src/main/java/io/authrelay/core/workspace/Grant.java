package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import io.authrelay.core.net.HostName;
import io.authrelay.core.net.RepoPath;
import java.util.regex.Pattern;

/**
 * What a workspace may receive: one provider's credential, for one host and the repository paths matching
 * {@code pathPattern} (a glob over the normalised path: {@code *} within one segment, {@code **} across segments;
 * null = any path). A grant decides who receives a credential, not what the credential can do: a path grant does not
 * make a token repository-scoped.
 *
 * @param allowExec whether a request that names only the provider (exec, or a materialised file) is served by a grant
 *     limited to some paths; such a request cannot say which repository it is for
 */
public record Grant(String provider, HostName host, String pathPattern, boolean allowExec) {
    public Grant {
        if (pathPattern != null && (pathPattern.isBlank() || pathPattern.equals("**"))) pathPattern = null;
    }

    /** Parses {@code HOST[/PATHGLOB]} as typed after {@code PROVIDER=} in {@code --grant}. */
    public static Grant parse(String provider, String hostPattern, HostName defaultHost, boolean allowExec) {
        if (hostPattern == null || hostPattern.isBlank()) return new Grant(provider, defaultHost, null, allowExec);
        int slash = hostPattern.indexOf('/');
        String host = slash < 0 ? hostPattern : hostPattern.substring(0, slash);
        String path = slash < 0 ? null : hostPattern.substring(slash + 1);
        HostName parsed;
        try {
            parsed = HostName.parse(host);
        } catch (DomainException e) {
            throw DomainException.invalid(
                    "invalid_grant_pattern", "grant " + e.getMessage(), "for example: github=github.com/my-org/*");
        }
        return new Grant(provider, parsed, RepoPath.normalisePattern(path), allowExec);
    }

    /** Whether every path of the host is granted. */
    public boolean coversEveryPath() {
        return pathPattern == null;
    }

    /**
     * @param scheme the request's scheme, for the default port
     * @param path   the request's normalised path (see {@link RepoPath}), or null when it gave none
     */
    public boolean covers(String scheme, HostName requestHost, String path) {
        if (!host.sameServer(requestHost, scheme)) return false;
        if (pathPattern == null) return true;
        return path != null && toRegex(pathPattern).matcher(path).matches();
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
        return provider + "=" + host + (pathPattern == null ? "" : "/" + pathPattern) + (allowExec ? " (exec)" : "");
    }
}
