package io.authrelay.core.auth;

import io.authrelay.core.DomainException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API token may do. The scopes nest: {@code read} can do all that {@code metrics} can, and {@code admin} all
 * that {@code read} can, so one comparison decides every request.
 */
public enum Scope {
    /** {@code GET /metrics} and nothing else: what a Prometheus server needs. */
    METRICS,
    /** Every GET that reveals no secret; no write. */
    READ,
    /** What the admin token can do. */
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean covers(Scope needed) {
        return compareTo(needed) >= 0;
    }

    public static Scope parse(String value) {
        for (Scope scope : values()) if (scope.wireName().equals(value)) return scope;
        throw DomainException.invalid(
                "invalid_scope",
                "scope must be one of " + names(),
                "metrics for a Prometheus scraper, read for dashboards, admin for automation");
    }

    private static String names() {
        return Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));
    }
}
