package io.authrelay.core.redaction;

import java.util.Map;
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

    private static final Pattern TOKEN_SHAPES = Pattern.compile(String.join(
            "|",
            "\\bgh[pousr]_[A-Za-z0-9]{16,}",
            "\\bgithub_pat_[A-Za-z0-9_]{20,}",
            "\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*",
            "\\bsk-[A-Za-z0-9_-]{16,}",
            // authrelay's own: admin, API and workspace tokens; the console's link, cookie and tab secrets
            "\\bar[abcltw]_[A-Za-z0-9_-]{20,}"));
    /**
     * Registered secrets by their first {@link #MIN_REGISTERED_LENGTH} characters, so that {@link #redact} costs a
     * lookup per character of the text instead of a scan per registered secret: a daemon with thousands of pending
     * logins has thousands of device codes registered, and every poll redacts its event text.
     */
    private static final Map<String, Set<String>> BY_PREFIX = new ConcurrentHashMap<>();

    private SecretRedactor() {}

    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_REGISTERED_LENGTH) return;
        add(secret);
        String jsonEscaped = jsonEscape(secret);
        if (!jsonEscaped.equals(secret)) add(jsonEscaped);
    }

    public static void forget(String secret) {
        if (secret == null || secret.length() < MIN_REGISTERED_LENGTH) return;
        remove(secret);
        remove(jsonEscape(secret));
    }

    /** Masks every occurrence of a registered secret (overlapping occurrences as one), then token-shaped strings. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String result = text;
        if (!BY_PREFIX.isEmpty() && text.length() >= MIN_REGISTERED_LENGTH) {
            StringBuilder out = null;
            int copied = 0, start = -1, end = -1; // [start, end): the masked run being extended
            for (int i = 0; i + MIN_REGISTERED_LENGTH <= text.length(); i++) {
                Set<String> candidates = BY_PREFIX.get(text.substring(i, i + MIN_REGISTERED_LENGTH));
                if (candidates == null) continue;
                for (String secret : candidates) {
                    if (!text.startsWith(secret, i)) continue;
                    if (i >= end) {
                        if (out == null) {
                            out = new StringBuilder(text.length());
                        } else {
                            out.append(text, copied, start).append(MASK);
                            copied = end;
                        }
                        start = i;
                    }
                    end = Math.max(end, i + secret.length());
                }
            }
            if (out != null)
                result = out.append(text, copied, start)
                        .append(MASK)
                        .append(text, end, text.length())
                        .toString();
        }
        return TOKEN_SHAPES.matcher(result).replaceAll(MASK);
    }

    private static void add(String secret) {
        BY_PREFIX.compute(secret.substring(0, MIN_REGISTERED_LENGTH), (k, set) -> {
            Set<String> secrets = set != null ? set : ConcurrentHashMap.newKeySet();
            secrets.add(secret);
            return secrets;
        });
    }

    private static void remove(String secret) {
        BY_PREFIX.computeIfPresent(secret.substring(0, MIN_REGISTERED_LENGTH), (k, set) -> {
            set.remove(secret);
            return set.isEmpty() ? null : set;
        });
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
