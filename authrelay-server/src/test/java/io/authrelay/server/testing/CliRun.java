package io.authrelay.server.testing;

/** What one run of the real CLI printed, and how it exited. */
public record CliRun(int exit, String out, String err) {
    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
