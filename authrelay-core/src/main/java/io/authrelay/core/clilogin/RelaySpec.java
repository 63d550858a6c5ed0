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
 * <p>{@code headers} are set by the relay itself on every request it forwards upstream, after the allow-listed copy of
 * the sandbox's headers and in place of any of the same name: a vendor header the sandbox must not choose, filled from
 * the broker's credential ({@code {{account}}}: the account its login captured, e.g. codex's
 * {@code ChatGPT-Account-ID}). They never reach the client. A header whose credential has no account is not sent.
 *
 * @param upstream the vendor API's base URL, e.g. {@code https://api.anthropic.com}
 * @param env variable name → value template
 * @param files paths relative to {@code {{relay_home}}} and their content templates
 * @param headers upstream header name → value template, filled by the relay from the credential
 */
public record RelaySpec(
        String upstream, Map<String, String> env, List<FileTemplate> files, Map<String, String> headers) {
    public RelaySpec {
        env = env == null ? Map.of() : Map.copyOf(env);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
