package io.authrelay.core.redaction;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The single redaction layer. Every secret the process handles is registered here, and every log line
 * and error text passes through {@link #redact(String)} before it leaves the process. Token-shaped
 * strings are masked even when nobody registered them, because a secret can arrive from outside
 * (a provider response, a pasted command line) before we know it is one.
 */
public final class SecretRedactor {
    public static final String MASK = "[REDACTED]";
    /** Shorter values would mask ordinary words; such secrets are still covered by the token patterns. */
    private static final int MIN_REGISTERED_LENGTH = 6;
    private static final Pattern TOKEN_SHAPES = Pattern.compile(String.join("|",
            "\\bgh[pousr]_[A-Za-z0-9]{16,}",
            "\\bgithub_pat_[A-Za-z0-9_]{20,}",
            "\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*",
            "\\bsk-[A-Za-z0-9_-]{16,}",
            "\\bar[aw]_[A-Za-z0-9_-]{20,}"));
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    private SecretRedactor() {}

    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_REGISTERED_LENGTH) return;
        REGISTERED.add(secret);
        String jsonEscaped = jsonEscape(secret);
        if (!jsonEscaped.equals(secret)) REGISTERED.add(jsonEscaped);
    }

    public static void forget(String secret) {
        if (secret == null) return;
        REGISTERED.remove(secret);
        REGISTERED.remove(jsonEscape(secret));
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String result = text;
        for (String secret : REGISTERED) {
            if (result.contains(secret)) result = result.replace(secret, MASK);
        }
        return TOKEN_SHAPES.matcher(result).replaceAll(MASK);
    }

    private static String jsonEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
