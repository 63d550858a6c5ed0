package io.authrelay.core.provider;

/**
 * How a provider of kind {@code cli-login} signs in: which driver (the CLI) runs, in which mode by default, and
 * whether relayed login input may come from MCP (off by default: a prompt-injected agent could paste a code for
 * another account).
 */
public record CliSettings(String driver, String mode, boolean mcpInput) {}
