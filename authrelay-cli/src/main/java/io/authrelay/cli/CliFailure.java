package io.authrelay.cli;

/** Ends a command with an exit code and one line (plus an optional hint) on stderr. */
public class CliFailure extends RuntimeException {
    private final int exitCode;
    private final String hint;

    public CliFailure(int exitCode, String message, String hint) {
        super(message);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public int exitCode() {
        return exitCode;
    }

    public String hint() {
        return hint;
    }
}
