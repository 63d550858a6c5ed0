package io.authrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RepeatLimiterTest {
    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void slowsThenRefusesAnAddressThatKeepsFailingUntilTheWindowPasses() {
        MutableClock clock = new MutableClock();
        RepeatLimiter limiter = new RepeatLimiter(clock, Duration.ofMinutes(1), 3, 6);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.check("10.0.0.1").delay()).isZero();
            limiter.record("10.0.0.1");
        }
        assertThat(limiter.check("10.0.0.1").delay()).isPositive();
        assertThat(limiter.check("10.0.0.2").delay())
                .as("other addresses are unaffected")
                .isZero();
        for (int i = 0; i < 3; i++) limiter.record("10.0.0.1");
        RepeatLimiter.Verdict refused = limiter.check("10.0.0.1");
        assertThat(refused.refused()).isTrue();
        assertThat(refused.retryAfter()).isPositive();

        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertThat(limiter.check("10.0.0.1").refused()).isFalse();
    }

    @Test
    void failuresSpreadOverMoreAddressesThanTrackedShareOneBucketAndMemoryStaysBounded() {
        MutableClock clock = new MutableClock();
        RepeatLimiter limiter = new RepeatLimiter(clock, Duration.ofMinutes(1), 3, 6);
        for (int i = 0; i < 10_000; i++) limiter.record("2001:db8::" + Integer.toHexString(i));
        for (int i = 0; i < 6; i++) limiter.record("2001:db8:1::" + i); // each address new, once

        assertThat(limiter.trackedBuckets()).isEqualTo(10_001);
        assertThat(limiter.check("2001:db8:2::1").refused())
                .as("a fresh address in the overflow bucket")
                .isTrue();
        assertThat(limiter.check("2001:db8::1").refused())
                .as("a tracked address keeps its own count")
                .isFalse();

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        limiter.record("2001:db8:3::1");
        assertThat(limiter.trackedBuckets())
                .as("aged-out addresses are evicted")
                .isEqualTo(1);
        assertThat(limiter.check("2001:db8:2::1").refused()).isFalse();
    }
}
