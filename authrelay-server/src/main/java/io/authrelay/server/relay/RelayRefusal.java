package io.authrelay.server.relay;

/** A relayed request the relay answers itself, before anything reaches an upstream: a status, a code and one line. */
final class RelayRefusal extends RuntimeException {
    private final int status;
    private final String code;

    RelayRefusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
