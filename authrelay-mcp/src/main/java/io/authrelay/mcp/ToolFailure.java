package io.authrelay.mcp;

/** A tool call that cannot succeed; its message is the one line (cause and fix) the agent sees with isError. */
final class ToolFailure extends RuntimeException {
    private final String code;

    ToolFailure(String message) {
        this(message, null);
    }

    /** @param code the broker's stable error code when the daemon refused the request, else null */
    ToolFailure(String message, String code) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
