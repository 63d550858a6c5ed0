package io.authrelay.core;

import java.time.Duration;

/** Durations as people type them: 90s, 15m, 2h, 7d. */
public final class Durations {
    private Durations() {}

    /** @throws IllegalArgumentException when {@code value} is not a number followed by s, m, h or d */
    public static Duration parse(String value) {
        if (value == null || !value.matches("\\d{1,7}[smhd]")) {
            throw new IllegalArgumentException("expected a number followed by s, m, h or d (e.g. 15m)");
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /**
     * A duration, or {@code 0}/{@code never} for "no limit", returned as {@link Duration#ZERO}.
     *
     * @throws IllegalArgumentException when {@code value} is neither
     */
    public static Duration parseOrNever(String value) {
        if ("0".equals(value) || "never".equals(value)) return Duration.ZERO;
        return parse(value);
    }

    public static boolean looksLikeDuration(String value) {
        return value != null && value.matches("\\d{1,7}[smhd]");
    }
}
