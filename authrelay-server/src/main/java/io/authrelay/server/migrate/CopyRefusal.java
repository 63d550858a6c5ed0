package io.authrelay.server.migrate;

/**
 * Why a copy of the database, a migration or a backup, will not run (or did not finish): one line for the operator, no
 * secret in it.
 */
public final class CopyRefusal extends RuntimeException {
    public CopyRefusal(String message) {
        super(message);
    }

    public CopyRefusal(String message, Throwable cause) {
        super(message, cause);
    }
}
