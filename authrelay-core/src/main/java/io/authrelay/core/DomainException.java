package io.authrelay.core;

/**
 * A failure the domain can name. The code is stable API: clients, scripts and the HTTP layer
 * switch on it, so it never changes once published. Messages must never carry secret values.
 */
public class DomainException extends RuntimeException {
    public enum Kind {
        INVALID,
        NOT_FOUND,
        CONFLICT,
        FORBIDDEN,
        UNAVAILABLE
    }

    private final Kind kind;
    private final String code;
    private final String hint;

    public DomainException(Kind kind, String code, String message, String hint) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.hint = hint;
    }

    public static DomainException invalid(String code, String message, String hint) {
        return new DomainException(Kind.INVALID, code, message, hint);
    }

    public static DomainException notFound(String code, String message, String hint) {
        return new DomainException(Kind.NOT_FOUND, code, message, hint);
    }

    public static DomainException forbidden(String code, String message, String hint) {
        return new DomainException(Kind.FORBIDDEN, code, message, hint);
    }

    public static DomainException conflict(String code, String message, String hint) {
        return new DomainException(Kind.CONFLICT, code, message, hint);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }
}
