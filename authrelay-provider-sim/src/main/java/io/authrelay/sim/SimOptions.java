package io.authrelay.sim;

import java.util.Objects;

/**
 * How a {@link ProviderSimulator} starts: {@code SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1)}.
 *
 * @param host                 address to bind; must be a loopback address for tests (default 127.0.0.1)
 * @param port                 TCP port, 0 for an ephemeral one
 * @param flavor               which provider to imitate
 * @param intervalSeconds      polling interval handed out with new device codes (0 disables rate enforcement until a slow_down)
 * @param codeLifetimeSeconds  lifetime of new device codes
 * @param tokenLifetimeSeconds access token lifetime; 0 = never expires and no refresh token is issued
 */
public record SimOptions(
        String host, int port, Flavor flavor, int intervalSeconds, int codeLifetimeSeconds, int tokenLifetimeSeconds) {

    public SimOptions {
        Objects.requireNonNull(flavor, "flavor");
        if (host == null || host.isBlank()) host = "127.0.0.1";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (intervalSeconds < 0) throw new IllegalArgumentException("intervalSeconds must be >= 0");
        if (codeLifetimeSeconds < 1) throw new IllegalArgumentException("codeLifetimeSeconds must be >= 1");
        if (tokenLifetimeSeconds < 0) throw new IllegalArgumentException("tokenLifetimeSeconds must be >= 0");
    }

    /**
     * 127.0.0.1, ephemeral port, interval 5 s, code lifetime 900 s, and the flavour's token lifetime (OIDC 3600 s,
     * GitHub 0: an OAuth App's tokens never expire).
     */
    public static SimOptions defaults(Flavor flavor) {
        return new SimOptions("127.0.0.1", 0, flavor, 5, 900, flavor.defaultTokenLifetimeSeconds());
    }

    public SimOptions withHost(String newHost) {
        return new SimOptions(newHost, port, flavor, intervalSeconds, codeLifetimeSeconds, tokenLifetimeSeconds);
    }

    public SimOptions withPort(int newPort) {
        return new SimOptions(host, newPort, flavor, intervalSeconds, codeLifetimeSeconds, tokenLifetimeSeconds);
    }

    /** Another flavour; the token lifetime stays as it is, not the new flavour's default. */
    public SimOptions withFlavor(Flavor newFlavor) {
        return new SimOptions(host, port, newFlavor, intervalSeconds, codeLifetimeSeconds, tokenLifetimeSeconds);
    }

    public SimOptions withIntervalSeconds(int seconds) {
        return new SimOptions(host, port, flavor, seconds, codeLifetimeSeconds, tokenLifetimeSeconds);
    }

    public SimOptions withCodeLifetimeSeconds(int seconds) {
        return new SimOptions(host, port, flavor, intervalSeconds, seconds, tokenLifetimeSeconds);
    }

    public SimOptions withTokenLifetimeSeconds(int seconds) {
        return new SimOptions(host, port, flavor, intervalSeconds, codeLifetimeSeconds, seconds);
    }
}
