package io.authrelay.core.clilogin;

import java.util.Map;

/**
 * How a CLI's API calls go through the broker's credential relay instead of carrying a vendor token: the one upstream
 * base URL the relay forwards to (never one a request names), and the variables that point the CLI at the relay. The
 * variables are filled in by the client, which alone knows both values: {@code {{relay_url}}} (the broker's relay URL
 * for this provider, as the client reaches the broker) and {@code {{workspace_token}}} (the workspace token, which the
 * CLI then sends as its bearer). No vendor token is ever among them.
 *
 * @param upstream the vendor API's base URL, e.g. {@code https://api.anthropic.com}
 * @param env variable name → value template
 */
public record RelaySpec(String upstream, Map<String, String> env) {
    public RelaySpec {
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
