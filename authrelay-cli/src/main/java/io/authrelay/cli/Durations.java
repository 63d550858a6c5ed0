package io.authrelay.cli;

import java.time.Duration;

/** Durations as people type them: 90s, 15m, 2h, 7d. */
final class Durations {
    private Durations() {}

    static Duration parse(String option, String value) {
        if (value == null || !value.matches("\\d{1,7}[smhd]")) {
            throw new CliFailure(ExitCodes.USAGE, option + " must be a number followed by s, m, h or d (e.g. 15m)", null);
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
