package io.authrelay.sim;

/**
 * Fault injection for the token endpoints and the device authorization endpoints.
 *
 * @param latencyMs     delay added before answering
 * @param errorRate     fraction answered with HTTP 500, 502 or 503 (picked at random)
 * @param forceSlowDown the next N device-code polls answer slow_down
 * @param garbageRate   fraction answered with HTTP 200 and a body that is not JSON
 * @param resetRate     fraction where the connection is closed without any response
 */
public record Faults(long latencyMs, double errorRate, int forceSlowDown, double garbageRate, double resetRate) {

    private static final Faults NONE = new Faults(0, 0, 0, 0, 0);

    public Faults {
        if (latencyMs < 0) throw new IllegalArgumentException("latencyMs must be >= 0");
        if (forceSlowDown < 0) throw new IllegalArgumentException("forceSlowDown must be >= 0");
        checkRate("errorRate", errorRate);
        checkRate("garbageRate", garbageRate);
        checkRate("resetRate", resetRate);
    }

    public static Faults none() {
        return NONE;
    }

    public Faults withLatencyMs(long v) {
        return new Faults(v, errorRate, forceSlowDown, garbageRate, resetRate);
    }

    public Faults withErrorRate(double v) {
        return new Faults(latencyMs, v, forceSlowDown, garbageRate, resetRate);
    }

    public Faults withForceSlowDown(int v) {
        return new Faults(latencyMs, errorRate, v, garbageRate, resetRate);
    }

    public Faults withGarbageRate(double v) {
        return new Faults(latencyMs, errorRate, forceSlowDown, v, resetRate);
    }

    public Faults withResetRate(double v) {
        return new Faults(latencyMs, errorRate, forceSlowDown, garbageRate, v);
    }

    private static void checkRate(String name, double v) {
        if (!(v >= 0.0 && v <= 1.0)) throw new IllegalArgumentException(name + " must be within [0, 1]");
    }
}
