package io.authrelay.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks secrets in anything the client prints (debug lines, error messages): values it was told about
 * (the workspace token, vended passwords) and anything token-shaped, even if nobody registered it.
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";
    /** Compiled on first use: most runs never print anything, and regex set-up costs start-up time. */
    private static final class Shapes {
        static final Pattern TOKEN_SHAPES = Pattern.compile(
                "\\b(?:ar[atw]_[A-Za-z0-9_-]{4,}|gh[pousr]_[A-Za-z0-9_]{4,}|github_pat_[A-Za-z0-9_]{4,}|glpat-[A-Za-z0-9_-]{4,}"
                        + "|xox[abprs]-[A-Za-z0-9-]{4,}|sk-[A-Za-z0-9_-]{16,}|eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*)"
                        + "|(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{12,}");
    }

    private static final int MIN_REGISTERED_LENGTH = 6;
    private final List<String> secrets = new ArrayList<>();

    public synchronized void register(String secret) {
        if (secret != null && secret.length() >= MIN_REGISTERED_LENGTH && !secrets.contains(secret))
            secrets.add(secret);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String result = text;
        synchronized (this) {
            for (String secret : secrets) {
                if (result.contains(secret)) result = result.replace(secret, MASK);
            }
        }
        return redactShapes(result);
    }

    /** Only the token shapes (arw_…, ghp_…, gho_…, github_pat_…, Bearer …, JWTs, …). */
    public static String redactShapes(String text) {
        if (text == null || text.isEmpty()) return text;
        return Shapes.TOKEN_SHAPES.matcher(text).replaceAll(MASK);
    }
}
