package io.authrelay.cli;

/** The CLI's documented exit codes (README "Exit codes"); scripts depend on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int AUTH = 4;
    public static final int UNREACHABLE = 5;

    private ExitCodes() {}

    static int forHttpStatus(int status) {
        return switch (status) {
            case 400, 413 -> USAGE;
            case 401, 403, 429 -> AUTH;
            case 404 -> NOT_FOUND;
            default -> FAILED;
        };
    }
}
