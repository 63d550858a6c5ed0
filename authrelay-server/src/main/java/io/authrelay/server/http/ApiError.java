package io.authrelay.server.http;

import io.authrelay.core.DomainException;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.vault.KeysetBehindException;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one error answer, {@code {"error": {"code", "message", "hint"}}} with the texts redacted, and which one
 * each failure gets: for the Javalin routes and for {@link VendHandler} alike, so both fronts refuse the same way.
 */
record ApiError(int status, String code, String message, String hint) {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** @param method and {@code path}: what failed, for the log line of an unexpected error */
    static ApiError of(Exception failure, String method, String path) {
        return switch (failure) {
            case ApiException e -> new ApiError(e.status(), e.code(), e.getMessage(), e.hint());
            case DomainException e -> new ApiError(ApiServer.statusOf(e), e.code(), e.getMessage(), e.hint());
            case KeysetBehindException e ->
                new ApiError(
                        503,
                        "keyset_behind",
                        e.getMessage(),
                        "docs/deploy.md, Key rotation across replicas: every replica needs the added key before it"
                                + " is promoted");
            case HttpResponseException e -> new ApiError(e.getStatus(), codeOf(e.getStatus()), e.getMessage(), null);
            default -> {
                log.error("unhandled error on {} {}", method, path, failure);
                yield new ApiError(500, "internal_error", "the daemon hit an unexpected error", "see the daemon log");
            }
        };
    }

    /** The answer's body, redacted: a message may quote what a client sent. */
    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", SecretRedactor.redact(message));
        if (hint != null) error.put("hint", SecretRedactor.redact(hint));
        return Map.of("error", error);
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 413 -> "body_too_large";
            case 400 -> "bad_request";
            case 404 -> "not_found";
            default -> "http_" + status;
        };
    }
}
