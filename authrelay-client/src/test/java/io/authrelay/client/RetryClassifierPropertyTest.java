package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.RetryClassifier.Action;
import io.authrelay.client.RetryClassifier.Decision;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RetryClassifierPropertyTest {
    private final RetryClassifier retry = RetryClassifier.defaults();

    @Provide
    Arbitrary<Integer> definitiveStatuses() {
        return Arbitraries.oneOf(
                Arbitraries.of(400, 401, 403, 404, 409, 500),
                Arbitraries.integers().between(100, 599).filter(s -> !RetryClassifier.isRetryableStatus(s)));
    }

    @Provide
    Arbitrary<IOException> transientErrors() {
        return Arbitraries.of(
                new ConnectException("Connection refused"),
                new SocketTimeoutException("Read timed out"),
                new SocketException("Connection reset"),
                new NoRouteToHostException("no route"),
                new EOFException(),
                new IOException("Unexpected end of file from server"));
    }

    @Provide
    Arbitrary<String> retryAfters() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.longs().between(0, 100_000).map(String::valueOf));
    }

    @Property
    void neverRetriesDefinitiveStatuses(
            @ForAll("definitiveStatuses") int status,
            @ForAll("retryAfters") String retryAfter,
            @ForAll @IntRange(min = 1, max = 10) int attempt,
            @ForAll @LongRange(min = -1_000, max = 60_000) long remaining,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        Decision decision = retry.decide(status, null, retryAfter, attempt, remaining, random);
        assertThat(decision.action()).isEqualTo(Action.DONE);
        assertThat(decision.sleepMillis()).isZero();
    }

    @Property
    void alwaysRetriesGatewayErrorsWhileAttemptsAndTimeRemain(
            @ForAll("gateway") int status,
            @ForAll @IntRange(min = 1, max = 2) int attempt,
            @ForAll @LongRange(min = 2_300, max = 60_000) long remaining,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        Decision decision = retry.decide(status, null, null, attempt, remaining, random);
        assertThat(decision.action()).isEqualTo(Action.RETRY);
        assertThat(decision.sleepMillis()).isBetween(0L, retry.backoffCeiling(attempt));
    }

    @Provide
    Arbitrary<Integer> gateway() {
        return Arbitraries.of(502, 503, 504);
    }

    @Property
    void alwaysRetriesConnectionErrorsWhileAttemptsAndTimeRemain(
            @ForAll("transientErrors") IOException error,
            @ForAll @IntRange(min = 1, max = 2) int attempt,
            @ForAll @LongRange(min = 2_300, max = 60_000) long remaining,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        Decision decision = retry.decide(null, error, null, attempt, remaining, random);
        assertThat(decision.action()).isEqualTo(Action.RETRY);
        assertThat(decision.sleepMillis()).isBetween(0L, retry.backoffCeiling(attempt));
    }

    @Property
    void stopsAfterTheLastAttempt(
            @ForAll("transientOutcome") Integer status,
            @ForAll("transientErrors") IOException error,
            @ForAll @IntRange(min = 3, max = 1_000) int attempt,
            @ForAll @LongRange(min = 0, max = 60_000) long remaining) {
        Decision decision = retry.decide(status, status == null ? error : null, null, attempt, remaining, 0.5);
        assertThat(decision.action()).isEqualTo(Action.GIVE_UP);
    }

    @Provide
    Arbitrary<Integer> transientOutcome() {
        return Arbitraries.of(null, 429, 502, 503, 504);
    }

    @Property(tries = 2_000)
    void sleepsNeverExceedTheRemainingDeadline(
            @ForAll("anyStatus") Integer status,
            @ForAll("transientErrors") IOException error,
            @ForAll("retryAfters") String retryAfter,
            @ForAll @IntRange(min = 1, max = 40) int attempt,
            @ForAll @LongRange(min = -5_000, max = 30_000) long remaining,
            @ForAll @DoubleRange(min = 0, max = 1) double random,
            @ForAll @IntRange(min = 1, max = 50) int maxAttempts,
            @ForAll @LongRange(min = 0, max = 5_000) long base,
            @ForAll @LongRange(min = 0, max = 10_000) long cap) {
        RetryClassifier policy =
                new RetryClassifier(maxAttempts, base, cap, RetryClassifier.DEFAULT_MIN_ATTEMPT_MILLIS);
        Decision decision =
                policy.decide(status, status == null ? error : null, retryAfter, attempt, remaining, random);
        assertThat(decision.sleepMillis()).isNotNegative();
        if (decision.action() == Action.RETRY) {
            assertThat(attempt).isLessThan(maxAttempts);
            // the sleep leaves room for one more attempt inside the deadline
            assertThat(decision.sleepMillis() + RetryClassifier.DEFAULT_MIN_ATTEMPT_MILLIS)
                    .isLessThanOrEqualTo(remaining);
            assertThat(decision.sleepMillis())
                    .isLessThanOrEqualTo(
                            Math.max(policy.backoffCeiling(attempt), retryAfterMillis(status, retryAfter)));
        } else {
            assertThat(decision.sleepMillis()).isZero();
        }
    }

    @Provide
    Arbitrary<Integer> anyStatus() {
        return Arbitraries.oneOf(
                Arbitraries.just(null), Arbitraries.integers().between(100, 599), Arbitraries.of(429, 502, 503, 504));
    }

    private static long retryAfterMillis(Integer status, String retryAfter) {
        long seconds = RetryClassifier.parseRetryAfterSeconds(retryAfter);
        return status != null && status == 429 && seconds >= 0 ? seconds * 1000 : 0;
    }

    @Property
    void retryAfterIsHonouredWhenItFitsAndNeverShortened(
            @ForAll @LongRange(min = 0, max = 120) long seconds,
            @ForAll @LongRange(min = 0, max = 60_000) long remaining,
            @ForAll @IntRange(min = 1, max = 2) int attempt,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        Decision decision = retry.decide(429, null, String.valueOf(seconds), attempt, remaining, random);
        if (seconds * 1000 + RetryClassifier.DEFAULT_MIN_ATTEMPT_MILLIS <= remaining) {
            assertThat(decision.action()).isEqualTo(Action.RETRY);
            assertThat(decision.sleepMillis()).isEqualTo(seconds * 1000);
        } else {
            assertThat(decision.action()).isEqualTo(Action.GIVE_UP);
        }
    }

    @Property
    void backoffCeilingDoublesUpToTheCap(@ForAll @IntRange(min = 1, max = 100) int attempt) {
        long expected = Math.min(2_000, 100L * (1L << Math.min(attempt - 1, 20)));
        assertThat(retry.backoffCeiling(attempt)).isEqualTo(expected);
    }

    @Property
    void retryAfterParsingNeverThrows(@ForAll String value) {
        long seconds = RetryClassifier.parseRetryAfterSeconds(value);
        assertThat(seconds).isGreaterThanOrEqualTo(-1);
    }

    @Example
    void errorsThatRetryingCannotFixAreNotRetried() {
        assertThat(retry.decide(null, new UnknownHostException("nope"), null, 1, 10_000, 0.5)
                        .action())
                .isEqualTo(Action.GIVE_UP);
        assertThat(retry.decide(null, new javax.net.ssl.SSLHandshakeException("bad cert"), null, 1, 10_000, 0.5)
                        .action())
                .isEqualTo(Action.GIVE_UP);
    }

    @Example
    void givesUpWhenTheDeadlineIsNear() {
        assertThat(retry.decide(503, null, null, 1, 99, 0.5).action()).isEqualTo(Action.GIVE_UP);
        assertThat(retry.decide(503, null, null, 1, 100, 0.5)).isEqualTo(new Decision(Action.RETRY, 0, null));
        assertThat(retry.decide(503, null, null, 1, 150, 0.999).sleepMillis()).isLessThanOrEqualTo(50);
    }
}
