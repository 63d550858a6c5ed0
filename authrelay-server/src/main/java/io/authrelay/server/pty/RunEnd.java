package io.authrelay.server.pty;

/**
 * How a run ended.
 *
 * @param exitCode the CLI's exit status (-1 when it was killed before it reported one)
 * @param successSeen whether the success pattern matched a line, or the spec's completion file appeared
 * @param lastLine the line that matched the failure pattern, else the last non-empty line (null when none)
 * @param failureSeen whether {@code lastLine} is a failure pattern's match
 * @param timedOut killed at the spec's timeout
 * @param cancelled ended by {@link RunHandle#cancel()}
 */
public record RunEnd(
        int exitCode, boolean successSeen, String lastLine, boolean failureSeen, boolean timedOut, boolean cancelled) {}
