package io.authrelay.cli;

/** Ends a command with an exit code and one line (plus an optional hint) on stderr. */
public class CliFailure extends RuntimeException {
    private final int exitCode;
    private final String hint;
    private final String code;

    public CliFailure(int exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    /** @param code the broker's stable error code when the daemon refused the request, else null */
    public CliFailure(int exitCode, String message, String hint, String code) {
        super(message);
        this.exitCode = exitCode;
        this.hint = hint;
        this.code = code;
    }

    public int exitCode() {
        return exitCode;
    }

    public String hint() {
        return hint;
    }

    public String code() {
        return code;
    }
}
