package io.authrelay.server.relay;

import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CliDrivers;
import io.authrelay.core.clilogin.RelaySpec;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.server.oauth.OAuthEndpoints;
import java.net.URI;
import java.util.Map;

/**
 * Where a provider's API calls are relayed: its AI-CLI driver's {@code relay.upstream}, as the operator configured it
 * (checked at start: https, or plain http to loopback). A provider without one is not relayed.
 */
public final class ApiUpstreams {
    private final ProviderService providers;
    private final CliDrivers drivers;

    public ApiUpstreams(ProviderService providers, CliDrivers drivers) {
        this.providers = providers;
        this.drivers = drivers;
    }

    /** The base URL without a trailing slash, for a path starting with one. */
    String baseOf(String providerName) {
        String base = OAuthEndpoints.secure(
                        "relay.upstream", URI.create(relayOf(providerName).upstream()))
                .toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The headers the relay sets on this provider's calls: name → template (checked at start). */
    Map<String, String> headersOf(String providerName) {
        return relayOf(providerName).headers();
    }

    private RelaySpec relayOf(String providerName) {
        Provider provider = providers.get(providerName);
        RelaySpec relay = provider.kind() == ProviderKind.CLI_LOGIN
                ? drivers.find(provider.cli().driver()).map(CliDriver::relay).orElse(null)
                : null;
        if (relay == null || relay.upstream() == null) {
            throw new RelayRefusal(
                    404, "not_relayed", "provider '" + providerName + "' has no API the relay forwards to");
        }
        return relay;
    }
}
