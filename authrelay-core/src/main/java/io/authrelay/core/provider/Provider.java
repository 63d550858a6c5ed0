package io.authrelay.core.provider;

import io.authrelay.core.DomainException;
import io.authrelay.core.Names;
import io.authrelay.core.net.HostName;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.oauth.OAuthTarget;
import java.time.Instant;

/**
 * A configured source of credentials. {@code host} is where its credential is presented (e.g. github.com);
 * {@code username} is what git should send alongside the secret; {@code oauth} is set exactly for device-flow kinds, {@code cli} exactly for {@code cli-login}.
 * {@code degradation} is null unless the provider runs on its last known endpoints because its issuer was
 * unreachable; {@code allowHttp} lets its grants serve plain-http hosts (loopback test servers).
 */
public record Provider(
        String name,
        ProviderKind kind,
        String host,
        String username,
        OAuthSettings oauth,
        Instant createdAt,
        Degradation degradation,
        boolean allowHttp,
        CliSettings cli)
        implements OAuthTarget {
    public Provider {
        Names.require("provider", name);
        if (kind == null)
            throw DomainException.invalid("invalid_provider_type", "provider type is required", "use --type static");
        host = HostName.parse(host).toString();
        if (kind.usesDeviceFlow() != (oauth != null)) {
            throw DomainException.invalid(
                    "invalid_provider",
                    "OAuth settings are required for " + kind.wireName() + " providers and only for them",
                    null);
        }
        if ((kind == ProviderKind.CLI_LOGIN) != (cli != null)) {
            throw DomainException.invalid(
                    "invalid_provider", "CLI settings are required for cli-login providers and only for them", null);
        }
        if (username != null
                && (username.isBlank()
                        || username.length() > 256
                        || username.chars().anyMatch(Character::isISOControl))) {
            throw DomainException.invalid("invalid_username", "username must be 1-256 printable characters", null);
        }
    }

    /** A provider that is not an AI CLI. */
    public Provider(
            String name,
            ProviderKind kind,
            String host,
            String username,
            OAuthSettings oauth,
            Instant createdAt,
            Degradation degradation,
            boolean allowHttp) {
        this(name, kind, host, username, oauth, createdAt, degradation, allowHttp, null);
    }

    public boolean isDegraded() {
        return degradation != null;
    }

    /** The host, parsed: the only server its credential is presented to. */
    public HostName hostName() {
        return HostName.parse(host);
    }

    /** The same provider asking for other scopes, for one login. */
    public Provider withScopes(String scopes) {
        OAuthSettings o = oauth;
        OAuthSettings scoped = new OAuthSettings(
                o.clientId(),
                scopes,
                o.issuer(),
                o.deviceEndpoint(),
                o.tokenEndpoint(),
                o.userinfoEndpoint(),
                o.revocationEndpoint());
        return new Provider(name, kind, host, username, scoped, createdAt, degradation, allowHttp, cli);
    }

    /** This configuration in the row of a provider first stored at {@code storedAt}. */
    public Provider createdAt(Instant storedAt) {
        return new Provider(name, kind, host, username, oauth, storedAt, degradation, allowHttp, cli);
    }

    /** The same provider, running on these endpoints for {@code reason}. */
    public Provider degraded(Degradation reason) {
        return new Provider(name, kind, host, username, oauth, createdAt, reason, allowHttp, cli);
    }
}
