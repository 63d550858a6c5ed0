package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import io.authrelay.core.net.HostName;
import io.authrelay.core.net.RepoPath;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderService;
import java.util.List;
import java.util.Locale;

/**
 * Which grant of a workspace covers a request, or why none does. Every host and path is normalised before it is
 * compared ({@link HostName}, {@link RepoPath}), and compared exactly.
 *
 * <ul>
 *   <li>A request names a host (git), a provider (exec), or both. When it names both, the host and path must match one
 *       of that provider's grants: naming a provider never widens what the host and path would get.
 *   <li>A provider alone is served by a grant for every path of its host, or by a path grant that says
 *       {@link Grant#allowExec()}: such a request cannot say which repository it is for.
 *   <li>A grant serves {@code https}; plain {@code http} only when the provider was configured to allow it.
 *   <li>A host that no grant and no provider serves is {@code unknown_host} (404: git asks its next helper); a host
 *       this broker serves but this workspace may not use is {@code not_granted} (403: git stops asking).
 * </ul>
 */
final class GrantResolver {
    private final ProviderService providers;

    GrantResolver(ProviderService providers) {
        this.providers = providers;
    }

    Grant resolve(Workspace workspace, VendRequest request) {
        String scheme = scheme(request.protocol());
        HostName host = request.host() == null ? null : HostName.parse(request.host());
        String path = RepoPath.normalise(request.path());
        if (host == null && path != null) {
            throw DomainException.invalid("missing_host", "the request names a path but no host", null);
        }
        Grant grant = request.provider() != null
                ? byProvider(workspace, request.provider(), scheme, host, path)
                : byHost(workspace, scheme, host, path);
        Provider provider = providers.get(grant.provider());
        requireProviderStillServes(workspace, grant, provider);
        requireSchemeAllowed(provider, scheme, host);
        return grant;
    }

    private Grant byProvider(Workspace workspace, String provider, String scheme, HostName host, String path) {
        List<Grant> grants = workspace.grants().stream()
                .filter(g -> g.provider().equals(provider))
                .toList();
        if (grants.isEmpty()) throw notGranted(workspace, "provider " + provider);
        if (host != null) {
            return grants.stream()
                    .filter(g -> g.covers(scheme, host, path))
                    .findFirst()
                    .orElseThrow(() -> notGranted(workspace, describe(host, path) + " through provider " + provider));
        }
        return grants.stream()
                .filter(g -> g.coversEveryPath() || g.allowExec())
                .findFirst()
                .orElseThrow(() -> new DomainException(
                        DomainException.Kind.FORBIDDEN,
                        "exec_not_granted",
                        "workspace '" + workspace.name() + "' may use " + provider + " only for "
                                + grants.get(0).host()
                                + "/" + grants.get(0).pathPattern() + ", and a request that names only the provider"
                                + " cannot say which repository it is for",
                        "an admin can allow it on the grant: --grant "
                                + grants.get(0).provider() + "=" + grants.get(0).host() + "/"
                                + grants.get(0).pathPattern() + " --allow-exec"));
    }

    private Grant byHost(Workspace workspace, String scheme, HostName host, String path) {
        if (host == null) {
            throw DomainException.invalid("missing_host", "the request names neither a host nor a provider", null);
        }
        for (Grant g : workspace.grants()) {
            if (g.covers(scheme, host, path)) return g;
        }
        boolean servedHere = workspace.grants().stream().anyMatch(g -> g.host().sameServer(host, scheme))
                || providers.list().stream().anyMatch(p -> servesHost(p, host, scheme));
        if (!servedHere) {
            throw DomainException.notFound(
                    "unknown_host", "no provider serves " + host, "not an authrelay host: git tries its next helper");
        }
        throw notGranted(workspace, describe(host, path));
    }

    private static boolean servesHost(Provider provider, HostName host, String scheme) {
        try {
            return HostName.parse(provider.host()).sameServer(host, scheme);
        } catch (DomainException stored) {
            return false; // a host stored before hosts were validated this strictly matches nothing
        }
    }

    /**
     * A grant names the host its provider served when it was written; if an admin has since moved the provider to
     * another host, the provider's secret now belongs there, and the old grant must not send it to the old one.
     */
    private static void requireProviderStillServes(Workspace workspace, Grant grant, Provider provider) {
        if (grant.host().sameServer(provider.hostName(), "https")) return;
        throw new DomainException(
                DomainException.Kind.FORBIDDEN,
                "not_granted",
                "provider " + provider.name() + " now serves " + provider.host() + ", not " + grant.host()
                        + " as workspace '" + workspace.name() + "' was granted",
                "an admin can grant the new host: authrelay workspace grant " + workspace.name() + " " + provider.name()
                        + "=" + provider.host());
    }

    private static void requireSchemeAllowed(Provider provider, String scheme, HostName host) {
        if (!"http".equals(scheme) || host == null) return;
        if (provider.allowHttp()) return;
        throw new DomainException(
                DomainException.Kind.FORBIDDEN,
                "insecure_protocol",
                "plain http to " + host + " gets no credential: grants serve https",
                "use an https:// URL; for a loopback test server an admin can add the provider with --allow-http");
    }

    /** {@code https} when the request does not say (JSON callers); refused unless http or https. */
    private static String scheme(String protocol) {
        if (protocol == null) return "https";
        if (!protocol.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw DomainException.invalid(
                    "invalid_protocol", "the protocol has whitespace, control or non-ASCII characters", null);
        }
        String lower = protocol.toLowerCase(Locale.ROOT);
        if (!lower.equals("https") && !lower.equals("http")) {
            throw DomainException.invalid(
                    "invalid_protocol", "credentials are served for https only, not " + lower, null);
        }
        return lower;
    }

    private static String describe(HostName host, String path) {
        return host + (path == null ? "" : "/" + path);
    }

    static DomainException notGranted(Workspace workspace, String what) {
        return new DomainException(
                DomainException.Kind.FORBIDDEN,
                "not_granted",
                "workspace '" + workspace.name() + "' is not granted " + what,
                "ask an admin to add a grant: authrelay workspace grant " + workspace.name() + " PROVIDER=HOST/PATH");
    }
}
