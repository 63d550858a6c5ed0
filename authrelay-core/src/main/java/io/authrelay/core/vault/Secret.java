package io.authrelay.core.vault;

import io.authrelay.core.DomainException;

/**
 * A secret value in memory. Its {@code toString} never shows the value, so a secret that reaches a log
 * statement or an exception message by accident prints as a placeholder.
 */
public record Secret(String value) {
    public static final int MAX_LENGTH = 16 * 1024;

    public Secret {
        if (value == null || value.isEmpty()) {
            throw DomainException.invalid("empty_secret", "the secret is empty", "pipe the secret on stdin");
        }
        if (value.length() > MAX_LENGTH) {
            throw DomainException.invalid(
                    "secret_too_large", "the secret is longer than " + MAX_LENGTH + " characters", null);
        }
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
