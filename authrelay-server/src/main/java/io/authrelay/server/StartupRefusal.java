package io.authrelay.server;

/** The daemon will not start; the message is the one line the operator sees, saying what to fix. */
public class StartupRefusal extends RuntimeException {
    public StartupRefusal(String message) {
        super(message);
    }

    public StartupRefusal(String message, Throwable cause) {
        super(message, cause);
    }
}
