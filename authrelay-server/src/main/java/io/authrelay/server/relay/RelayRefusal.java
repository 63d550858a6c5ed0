package io.authrelay.server.relay;

import java.time.Duration;

/**
 * A relayed request the relay answers itself, before anything reaches an upstream: a status, a code and one line; for
 * a 429, when to retry.
 */
final class RelayRefusal extends RuntimeException {
    private final int status;
    private final String code;
    private final Duration retryAfter;

    RelayRefusal(int status, String code, String message) {
        this(status, code, message, null);
    }

    RelayRefusal(int status, String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** @return null when the refusal says nothing of when to retry */
    Duration retryAfter() {
        return retryAfter;
    }
}
