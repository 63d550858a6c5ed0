package io.authrelay.core.clilogin;

import java.util.List;
import java.util.Map;

/**
 * How a CLI's API calls go through the broker's credential relay instead of carrying a vendor token: the one upstream
 * base URL the relay forwards to (never one a request names), and the variables that point the CLI at the relay. The
 * variables are filled in by the client, which alone knows both values: {@code {{relay_url}}} (the broker's relay URL
 * for this provider, as the client reaches the broker) and {@code {{workspace_token}}} (the workspace token, which the
 * CLI then sends as its bearer). No vendor token is ever among them.
 *
 * <p>A CLI that reads its endpoint and credential from files rather than variables (codex: {@code auth.json} and
 * {@code config.toml} under {@code CODEX_HOME}) names them in {@code files}: the client writes them into a private
 * directory of its own for the one run, {@code {{relay_home}}}, and removes it afterwards.
 *
 * @param upstream the vendor API's base URL, e.g. {@code https://api.anthropic.com}
 * @param env variable name → value template
 * @param files paths relative to {@code {{relay_home}}} and their content templates
 */
public record RelaySpec(String upstream, Map<String, String> env, List<FileTemplate> files) {
    public RelaySpec {
        env = env == null ? Map.of() : Map.copyOf(env);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
