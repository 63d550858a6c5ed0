package io.authrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RepeatLimiterTest {
    @Test
    void slowsThenRefusesAnAddressThatKeepsFailingUntilTheWindowPasses() {
        SettableClock clock = new SettableClock();
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
        SettableClock clock = new SettableClock();
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
