package io.authrelay.server.migrate;

/** Why a migration or a backup will not run (or did not finish): one line for the operator, no secret in it. */
public final class MigrationRefusal extends RuntimeException {
    public MigrationRefusal(String message) {
        super(message);
    }

    public MigrationRefusal(String message, Throwable cause) {
        super(message, cause);
    }
}
