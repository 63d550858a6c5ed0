package io.authrelay.server.relay;

import io.authrelay.core.net.Printable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay's limits per workspace, as {@code authrelay server} takes them: at most {@code concurrent} requests in
 * flight, and a token bucket of {@code burst} requests refilled at {@code perSecond}.
 */
public record RelayLimitOptions(int concurrent, double perSecond, int burst) {
    public static final int DEFAULT_CONCURRENT = 16;
    public static final String DEFAULT_RATE = "100/s";
    public static final int DEFAULT_BURST = 200;

    /** Beyond these a "limit" limits nothing and a typo (an extra zero or two) would pass unnoticed. */
    static final int MAX_CONCURRENT = 10_000;

    static final int MAX_REQUESTS = 1_000_000;

    private static final Pattern RATE = Pattern.compile("(\\d{1,9})(?:/([smh]))?");

    public RelayLimitOptions {
        if (concurrent < 1 || concurrent > MAX_CONCURRENT)
            throw new IllegalArgumentException("--relay-concurrency must be from 1 to " + MAX_CONCURRENT);
        if (!(perSecond > 0) || perSecond > MAX_REQUESTS)
            throw new IllegalArgumentException("--relay-rate must be above 0 and at most " + MAX_REQUESTS + "/s");
        if (burst < 1 || burst > MAX_REQUESTS)
            throw new IllegalArgumentException("--relay-burst must be from 1 to " + MAX_REQUESTS);
    }

    public static RelayLimitOptions defaults() {
        return parse(null, null, null);
    }

    /**
     * @param concurrent a whole number, null for the default
     * @param rate {@code N/s}, {@code N/m} or {@code N/h} (a bare {@code N} is per second), null for the default
     * @param burst a whole number, null for the default
     * @throws IllegalArgumentException with one line naming the option and what it takes
     */
    public static RelayLimitOptions parse(String concurrent, String rate, String burst) {
        return new RelayLimitOptions(
                whole("--relay-concurrency", concurrent, DEFAULT_CONCURRENT, MAX_CONCURRENT),
                perSecond(rate == null ? DEFAULT_RATE : rate),
                whole("--relay-burst", burst, DEFAULT_BURST, MAX_REQUESTS));
    }

    private static int whole(String option, String value, int fallback, int max) {
        if (value == null) return fallback;
        // digits only, at most 9 of them: no sign, no exponent, no overflow into a negative int
        if (!value.strip().matches("\\d{1,9}"))
            throw new IllegalArgumentException(
                    option + " must be a whole number from 1 to " + max + ": got '" + Printable.of(value) + "'");
        return Integer.parseInt(value.strip());
    }

    private static double perSecond(String value) {
        Matcher m = RATE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches())
            throw new IllegalArgumentException("--relay-rate must be requests per second, minute or hour (e.g. "
                    + DEFAULT_RATE + ", 600/m): got '" + Printable.of(value) + "'");
        double per = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "m" -> 60;
                    case "h" -> 3600;
                    default -> 1;
                };
        return Long.parseLong(m.group(1)) / per;
    }

    @Override
    public String toString() {
        return "relay limits: " + concurrent + " in flight, " + perSecond + "/s, burst " + burst;
    }
}
