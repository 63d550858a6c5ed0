package io.authrelay.sim;

import java.util.Objects;

/**
 * How a {@link ProviderSimulator} starts.
 *
 * @param host                 address to bind; must be a loopback address for tests (default 127.0.0.1)
 * @param port                 TCP port, 0 for an ephemeral one
 * @param flavor               which provider to imitate
 * @param intervalSeconds      polling interval handed out with new device codes (0 disables rate enforcement until a slow_down)
 * @param codeLifetimeSeconds  lifetime of new device codes
 * @param tokenLifetimeSeconds access token lifetime; 0 = never expires and no refresh token is issued
 */
public record SimOptions(
        String host,
        int port,
        ProviderSimulator.Flavor flavor,
        int intervalSeconds,
        int codeLifetimeSeconds,
        int tokenLifetimeSeconds) {

    public SimOptions {
        Objects.requireNonNull(flavor, "flavor");
        if (host == null || host.isBlank()) host = "127.0.0.1";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (intervalSeconds < 0) throw new IllegalArgumentException("intervalSeconds must be >= 0");
        if (codeLifetimeSeconds < 1) throw new IllegalArgumentException("codeLifetimeSeconds must be >= 1");
        if (tokenLifetimeSeconds < 0) throw new IllegalArgumentException("tokenLifetimeSeconds must be >= 0");
    }

    /** 127.0.0.1, ephemeral port, interval 5 s, code lifetime 900 s, token lifetime 3600 s (OIDC) or 0 (GitHub OAuth App). */
    public static SimOptions defaults(ProviderSimulator.Flavor flavor) {
        return new SimOptions("127.0.0.1", 0, flavor, 5, 900, flavor == ProviderSimulator.Flavor.OIDC ? 3600 : 0);
    }

    public SimOptions withPort(int newPort) {
        return new SimOptions(host, newPort, flavor, intervalSeconds, codeLifetimeSeconds, tokenLifetimeSeconds);
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
