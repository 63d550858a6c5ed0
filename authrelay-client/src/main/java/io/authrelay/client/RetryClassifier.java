package io.authrelay.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Decides, after each attempt, whether to stop or to retry and after how long. Pure: time and randomness
 * come in as arguments, so the rules can be checked by property tests.
 *
 * <ul>
 *   <li>Retried: connection failures and timeouts (socket errors, reset, EOF before a response), HTTP 502,
 *       503, 504, and 429 (after {@code Retry-After} seconds when given). Everything else is final: 2xx,
 *       3xx, 400, 401, 403, 404, 409, 500, and errors that will not heal by themselves (unknown host, TLS).
 *   <li>At most {@code maxAttempts} attempts.
 *   <li>Backoff is exponential with full jitter: {@code random × min(cap, base × 2^(attempt-1))}.
 *   <li>The sleep plus a minimal next attempt must fit in the remaining deadline, else give up; a
 *       {@code Retry-After} that does not fit means give up, never a shorter wait.
 * </ul>
 */
public final class RetryClassifier {
    public enum Action {
        /** The outcome is final (success or a definitive answer): use it. */
        DONE,
        /** Transient: sleep {@link Decision#sleepMillis()} and try again. */
        RETRY,
        /** Transient, but out of attempts or time (or a failure that retrying cannot fix): stop with it. */
        GIVE_UP
    }

    public record Decision(Action action, long sleepMillis, String reason) {
        public static Decision done(String reason) {
            return new Decision(Action.DONE, 0, reason);
        }

        public static Decision giveUp(String reason) {
            return new Decision(Action.GIVE_UP, 0, reason);
        }

        /** For debug output: "done", "give up (…)" or "retry in N ms". */
        public String describe() {
            return switch (action) {
                case DONE -> "done";
                case RETRY -> "retry in " + sleepMillis + " ms" + (reason == null ? "" : " (" + reason + ")");
                case GIVE_UP -> "give up" + (reason == null ? "" : " (" + reason + ")");
            };
        }
    }

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final long DEFAULT_BASE_MILLIS = 100;
    public static final long DEFAULT_CAP_MILLIS = 2_000;
    /** Not worth starting an attempt with less time than this left. */
    public static final long DEFAULT_MIN_ATTEMPT_MILLIS = 100;

    private final int maxAttempts;
    private final long baseMillis;
    private final long capMillis;
    private final long minAttemptMillis;

    public RetryClassifier(int maxAttempts, long baseMillis, long capMillis, long minAttemptMillis) {
        if (maxAttempts < 1 || baseMillis < 0 || capMillis < 0 || minAttemptMillis < 0) {
            throw new IllegalArgumentException("invalid retry settings");
        }
        this.maxAttempts = maxAttempts;
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
        this.minAttemptMillis = minAttemptMillis;
    }

    public static RetryClassifier defaults() {
        return new RetryClassifier(
                DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_MILLIS, DEFAULT_CAP_MILLIS, DEFAULT_MIN_ATTEMPT_MILLIS);
    }

    /** No retries: for requests a person waits on, or that must not run twice. */
    public static RetryClassifier singleAttempt() {
        return new RetryClassifier(1, 0, 0, 0);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * @param status          HTTP status of the attempt, or null when it failed without a response
     * @param error           the failure when {@code status} is null
     * @param retryAfter      the {@code Retry-After} header value, or null
     * @param attempt         attempts made so far, including this one (1 after the first)
     * @param remainingMillis time left before the overall deadline
     * @param random          uniform in [0, 1): the jitter
     */
    public Decision decide(
            Integer status, IOException error, String retryAfter, int attempt, long remainingMillis, double random) {
        if (status != null) {
            if (!isRetryableStatus(status)) return Decision.done(null);
        } else if (error != null && !isTransient(error)) {
            return Decision.giveUp("not transient: " + error.getClass().getSimpleName());
        }
        if (attempt >= maxAttempts) return Decision.giveUp("after " + attempt + " attempts");
        long budget = remainingMillis - minAttemptMillis;
        if (budget < 0) return Decision.giveUp("deadline reached");
        if (status != null && status == 429) {
            long seconds = parseRetryAfterSeconds(retryAfter);
            if (seconds >= 0) {
                if (seconds > budget / 1000)
                    return Decision.giveUp("Retry-After " + seconds + " s is past the deadline");
                long wait = seconds * 1000;
                if (wait > budget) return Decision.giveUp("Retry-After " + seconds + " s is past the deadline");
                return new Decision(Action.RETRY, wait, "Retry-After");
            }
        }
        long sleep = Math.min(backoffCeiling(attempt), budget);
        double r = random < 0 || Double.isNaN(random) ? 0 : Math.min(random, 1);
        long jittered = (long) Math.floor(r * sleep);
        return new Decision(Action.RETRY, Math.min(jittered, sleep), null);
    }

    /** The upper bound of the jittered sleep after {@code attempt} attempts: min(cap, base·2^(attempt-1)). */
    public long backoffCeiling(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long ceiling = baseMillis << exponent;
        return ceiling < 0 ? capMillis : Math.min(capMillis, ceiling);
    }

    public static boolean isRetryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Connection failures and timeouts heal by themselves; DNS, TLS and protocol errors do not. */
    public static boolean isTransient(IOException error) {
        if (error instanceof UnknownHostException) return false;
        if (error instanceof javax.net.ssl.SSLException)
            return error instanceof javax.net.ssl.SSLHandshakeException && error.getCause() instanceof EOFException;
        if (error instanceof SocketException
                || error instanceof InterruptedIOException
                || error instanceof EOFException) return true;
        String message = error.getMessage();
        return message != null
                && (message.contains("Unexpected end of file")
                        || message.contains("Premature EOF")
                        || message.contains("Connection reset"));
    }

    /** Delay-seconds per RFC 9110 (non-negative integer); -1 when absent or not a number (HTTP dates are not used). */
    public static long parseRetryAfterSeconds(String value) {
        if (value == null) return -1;
        String v = value.strip();
        if (v.isEmpty() || v.length() > 10) return v.length() > 10 && allDigits(v) ? Long.MAX_VALUE / 2000 : -1;
        if (!allDigits(v)) return -1;
        return Long.parseLong(v);
    }

    private static boolean allDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') return false;
        }
        return !v.isEmpty();
    }
}
