package io.authrelay.server.relay;

import io.authrelay.core.DomainException;
import io.authrelay.core.net.HostName;
import io.authrelay.core.net.RepoPath;
import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpURI;

/**
 * A git smart-HTTP request as the relay reads it: {@code /relay/git/HOST/REPO/ENDPOINT?QUERY}, where ENDPOINT is one
 * of smart HTTP's three ({@code info/refs} with a {@code service} query, {@code git-upload-pack},
 * {@code git-receive-pack}). Nothing else is relayed: no dumb HTTP, no LFS, no API paths.
 *
 * <p>The raw (still encoded) path must already be in its normal form, so the path checked against the grant and the
 * path sent upstream are the same text: every segment is plain {@code [A-Za-z0-9._~-]}, with no {@code %} at all (so no
 * {@code %2F}, {@code %5C}, NUL or double encoding), no empty, {@code .} or {@code ..} segment. The host segment must be
 * written exactly as {@link HostName} normalises it (lower case, no trailing dot, no default-port spelling games are
 * rewritten: {@code GitHub.com} and {@code github.com.} are refused, not folded).
 *
 * @param host the upstream host as the workspace named it (compared with the provider's by the grant check)
 * @param repository the repository path as grants match it ({@link RepoPath}: without {@code .git})
 * @param upstreamPath the path to send upstream: the checked repository path, its {@code .git} if it had one, the
 *     endpoint
 * @param query the query to send upstream, or null
 */
record GitRelayPath(String host, String repository, String upstreamPath, String query) implements RelayRoute {
    static final String PREFIX = "/relay/git/";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]{1,255}");
    private static final Set<String> SERVICES = Set.of("git-upload-pack", "git-receive-pack");

    static GitRelayPath parse(String method, String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) throw notGit("the path is not under " + PREFIX);
        if (rawPath.length() > RepoPath.MAX_LENGTH) throw invalid("the path is too long");
        String rest = rawPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) throw invalid("the path names no host and repository");
        String rawHost = rest.substring(0, slash);
        HostName host;
        try {
            host = HostName.parse(rawHost);
        } catch (DomainException e) {
            throw new RelayRefusal(400, "invalid_host", e.getMessage());
        }
        if (!host.toString().equals(rawHost)) {
            throw new RelayRefusal(
                    400, "invalid_host", "the host must be written as " + host + ": other spellings are refused");
        }
        String[] segments = rest.substring(slash + 1).split("/", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw invalid("each path segment must be plain [A-Za-z0-9._~-], with no %-escape, '.', '..' or"
                        + " empty segment");
            }
        }
        int endpointSegments = endpointSegments(method, segments, rawQuery);
        int repoSegments = segments.length - endpointSegments;
        if (repoSegments < 1) throw invalid("the path names no repository");
        String repo = String.join("/", java.util.Arrays.copyOf(segments, repoSegments));
        String repository = RepoPath.normalise(repo);
        if (repository == null) throw invalid("the path names no repository");
        return new GitRelayPath(host.toString(), repository, "/" + rest.substring(slash + 1), rawQuery);
    }

    @Override
    public VendRequest vendRequest() {
        return new VendRequest("https", host, repository, null, null, null);
    }

    /** {@code https://} plus the provider's own host, never the host the sandbox wrote, and the checked path. */
    @Override
    public HttpURI upstream(Vend vend) {
        return HttpURI.from(
                "https://" + HostName.parse(vend.host()) + upstreamPath + (query == null ? "" : "?" + query));
    }

    /** As git hosts expect it: Basic, the provider's git username, the token. */
    @Override
    public String authorization(Vend vend) {
        String credential = vend.username() + ":" + vend.password().value();
        return "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public RelayHeaders headers() {
        return RelayHeaders.GIT;
    }

    @Override
    public CredentialHeaders.Filled credentialHeaders(Vend vend) {
        return CredentialHeaders.NONE;
    }

    /** How many trailing segments name the smart-HTTP endpoint; refuses every other request. */
    private static int endpointSegments(String method, String[] segments, String query) {
        int n = segments.length;
        String last = segments[n - 1];
        if (n >= 3 && segments[n - 2].equals("info") && last.equals("refs")) {
            if (!method.equals("GET")) throw notGit("info/refs is read with GET");
            if (query == null || !query.startsWith("service=") || !SERVICES.contains(query.substring(8))) {
                throw notGit("info/refs is relayed only with ?service=git-upload-pack or git-receive-pack");
            }
            return 2;
        }
        if (n >= 2 && SERVICES.contains(last)) {
            if (!method.equals("POST")) throw notGit(last + " is called with POST");
            if (query != null) throw notGit(last + " takes no query");
            return 1;
        }
        throw notGit("only git smart HTTP is relayed (info/refs, git-upload-pack, git-receive-pack)");
    }

    private static RelayRefusal invalid(String why) {
        return new RelayRefusal(400, "invalid_path", "relay path refused: " + why);
    }

    private static RelayRefusal notGit(String why) {
        return new RelayRefusal(404, "not_relayed", why);
    }
}
