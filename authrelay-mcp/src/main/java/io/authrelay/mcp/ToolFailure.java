package io.authrelay.mcp;

/** A tool call that cannot succeed; its message is the one line (cause and fix) the agent sees with isError. */
final class ToolFailure extends RuntimeException {
    ToolFailure(String message) {
        super(message);
    }
}
