package io.authrelay.core.provider;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a provider's credential was issued for: one kind of provider, one OAuth client, one issuer (GitHub's
 * base URL). A token from another client or issuer is worthless here, and a kind change reinterprets the stored
 * secret, so a change to any of these drops the credential; every other field may change under it.
 */
public record ProviderIdentity(ProviderKind kind, String clientId, URI issuer) {
    public static ProviderIdentity of(Provider provider) {
        if (provider.oauth() == null) return new ProviderIdentity(provider.kind(), null, null);
        return new ProviderIdentity(
                provider.kind(), provider.oauth().clientId(), provider.oauth().issuer());
    }

    /** The providers.yaml keys that differ from {@code next}, in the order the file lists them; empty when none. */
    public List<String> changedIn(ProviderIdentity next) {
        List<String> changed = new ArrayList<>();
        if (kind != next.kind) changed.add("type");
        if (!Objects.equals(clientId, next.clientId)) changed.add("client_id");
        if (!Objects.equals(issuer, next.issuer)) changed.add(issuerKey(next.issuer != null ? next.kind : kind));
        return List.copyOf(changed);
    }

    /** GitHub is configured by its base URL, an OpenID provider by its issuer. */
    private static String issuerKey(ProviderKind kind) {
        return kind == ProviderKind.GITHUB ? "base_url" : "issuer";
    }
}
