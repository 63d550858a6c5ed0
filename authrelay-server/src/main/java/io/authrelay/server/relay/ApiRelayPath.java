package io.authrelay.server.relay;

import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpURI;

/**
 * An AI vendor API call as the relay reads it: {@code /relay/api/PROVIDER/PATH?QUERY}. The grant check names the
 * provider alone (as {@code exec --provider} does); the request goes to that provider's driver's {@code relay.upstream}
 * plus PATH, whatever host the CLI thought it was talking to.
 *
 * <p>As for git, the raw path must already be in normal form, so the path forwarded is the path checked: every segment
 * plain {@code [A-Za-z0-9._~:-]} (Gemini's methods are {@code v1internal:loadCodeAssist}), with no {@code %} at all (so
 * no {@code %2F}, {@code %5C} or double encoding), no empty, {@code .} or {@code ..} segment. The query is forwarded as
 * sent: it goes to the same fixed upstream, so it cannot choose where the request goes.
 */
record ApiRelayPath(String provider, String path, String query, ApiUpstreams upstreams) implements RelayRoute {
    static final String PREFIX = "/relay/api/";
    private static final int MAX_PATH = 2048;
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~:-]{1,255}");

    static ApiRelayPath parse(String rawPath, String rawQuery, ApiUpstreams upstreams) {
        if (rawPath.length() > MAX_PATH) throw invalid("the path is too long");
        String rest = rawPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) throw invalid("the path names no provider and API path");
        String provider = rest.substring(0, slash);
        if (!PROVIDER.matcher(provider).matches()) throw invalid("'" + provider + "' is not a provider name");
        for (String segment : rest.substring(slash + 1).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw invalid("each path segment must be plain [A-Za-z0-9._~:-], with no %-escape, '.', '..' or"
                        + " empty segment");
            }
        }
        return new ApiRelayPath(provider, rest.substring(slash), rawQuery, upstreams);
    }

    @Override
    public VendRequest vendRequest() {
        return new VendRequest(null, null, null, null, null, provider);
    }

    @Override
    public HttpURI upstream(Vend vend) {
        return HttpURI.from(upstreams.baseOf(vend.provider()) + path + (query == null ? "" : "?" + query));
    }

    @Override
    public String authorization(Vend vend) {
        return "Bearer " + vend.password().value();
    }

    @Override
    public RelayHeaders headers() {
        return RelayHeaders.API;
    }

    /** The driver's {@code relay.headers} (codex: its account header), filled from the broker's credential. */
    @Override
    public CredentialHeaders.Filled credentialHeaders(Vend vend) {
        return CredentialHeaders.fill(upstreams.headersOf(vend.provider()), vend);
    }

    private static RelayRefusal invalid(String why) {
        return new RelayRefusal(400, "invalid_path", "relay path refused: " + why);
    }
}
