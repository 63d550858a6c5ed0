package io.authrelay.server.http;

/** An HTTP-level failure with the stable code clients switch on. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String hint;

    public ApiException(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }
}
