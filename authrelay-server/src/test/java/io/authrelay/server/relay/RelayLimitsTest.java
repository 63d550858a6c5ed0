package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's per-workspace limits, driven by a clock the test moves: no waiting, no timing. */
class RelayLimitsTest {
    /** The limiter's monotonic clock, in nanoseconds, moved by hand. */
    private long now = 123_456_789L;

    private void advance(Duration by) {
        now += by.toNanos();
    }

    private RelayLimits limits(int concurrent, String rate, int burst) {
        return new RelayLimits(
                RelayLimitOptions.parse(Integer.toString(concurrent), rate, Integer.toString(burst)), () -> now);
    }

    private static RelayRefusal refusal(RelayLimits limits, String workspace) {
        try {
            limits.acquire(workspace);
        } catch (RelayRefusal refused) {
            return refused;
        }
        throw new AssertionError("admitted");
    }

    @Test
    void aBurstPassesThenTheSustainedRateAndTheRefusalSaysWhenToRetry() {
        RelayLimits limits = limits(100, "2/s", 3);
        for (int i = 0; i < 3; i++) limits.acquire("a").run();
        RelayRefusal refused = refusal(limits, "a");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("relay_rate_limited");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));

        advance(Duration.ofMillis(499));
        assertThat(refusal(limits, "a").retryAfter()).isEqualTo(Duration.ofMillis(1));
        advance(Duration.ofMillis(1));
        limits.acquire("a").run();
        assertThat(refusal(limits, "a").code()).isEqualTo("relay_rate_limited");

        // an hour idle refills to the burst, not beyond
        advance(Duration.ofSeconds(3600));
        for (int i = 0; i < 3; i++) limits.acquire("a").run();
        assertThat(refusal(limits, "a").code()).isEqualTo("relay_rate_limited");
    }

    @Test
    void oneWorkspaceSpendingItsBudgetLeavesAnothersWhole() {
        RelayLimits limits = limits(100, "1/h", 2);
        limits.acquire("a").run();
        limits.acquire("a").run();
        assertThat(refusal(limits, "a").code()).isEqualTo("relay_rate_limited");
        limits.acquire("b").run();
        limits.acquire("b").run();
        assertThat(refusal(limits, "b").code()).isEqualTo("relay_rate_limited");
        assertThat(refusal(limits, "a").retryAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void concurrencyIsCappedAndARefusedRequestCostsTheBucketNothing() {
        RelayLimits limits = limits(2, "1/h", 5);
        Runnable first = limits.acquire("a");
        Runnable second = limits.acquire("a");
        for (int i = 0; i < 10; i++) {
            RelayRefusal refused = refusal(limits, "a");
            assertThat(refused.code()).isEqualTo("too_many_relayed_requests");
            assertThat(refused.retryAfter()).isNull();
        }
        first.run();
        // 5 tokens, 2 spent: 3 more pass (one at a time), however many were refused meanwhile
        for (int i = 0; i < 3; i++) limits.acquire("a").run();
        assertThat(refusal(limits, "a").code()).isEqualTo("relay_rate_limited");
        second.run();
    }

    @Test
    void idleWorkspacesAreForgottenSoManyWorkspacesStayBounded() {
        RelayLimits limits = limits(100, "10/s", 20);
        List<Runnable> busy = new ArrayList<>();
        busy.add(limits.acquire("busy")); // still in flight: must survive every sweep
        limits.acquire("recent").run();
        for (int i = 0; i < 10_000; i++) limits.acquire("idle-" + i).run();
        assertThat(limits.tracked()).isEqualTo(10_002);

        // 2 s refill the idle ones (1 token spent, 10/s): full again, so the same as untracked
        advance(Duration.ofSeconds(2));
        limits.acquire("recent").run();
        assertThat(limits.tracked())
                .as("busy, and recent (spent again after the sweep)")
                .isEqualTo(2);
        // forgetting changed nothing: a forgotten workspace starts from a full bucket, as it had
        for (int i = 0; i < 20; i++) limits.acquire("idle-0").run();
        assertThat(refusal(limits, "idle-0").code()).isEqualTo("relay_rate_limited");

        // no sweep more often than once a second, and none below the threshold
        for (int i = 0; i < RelayLimits.SWEEP_ABOVE + 10; i++)
            limits.acquire("more-" + i).run();
        advance(Duration.ofMillis(999));
        limits.acquire("x").run();
        assertThat(limits.tracked()).isGreaterThan(RelayLimits.SWEEP_ABOVE);
        busy.forEach(Runnable::run);
    }

    @Test
    void badSettingsAreRefusedWithTheOptionAndWhatItTakes() {
        for (String[] bad : new String[][] {
            {"0", null, null, "--relay-concurrency must be from 1 to 10000"},
            {"-1", null, null, "--relay-concurrency must be a whole number from 1 to 10000: got '-1'"},
            {"ten", null, null, "--relay-concurrency must be a whole number"},
            {"10001", null, null, "--relay-concurrency must be from 1 to 10000"},
            {"99999999999", null, null, "--relay-concurrency must be a whole number"},
            {"1.5", null, null, "--relay-concurrency must be a whole number"},
            {null, "0", null, "--relay-rate must be above 0"},
            {null, "0/h", null, "--relay-rate must be above 0"},
            {null, "-5/s", null, "--relay-rate must be requests per second, minute or hour"},
            {null, "5/d", null, "--relay-rate must be requests per second, minute or hour"},
            {null, "NaN", null, "--relay-rate must be requests per second, minute or hour"},
            {null, "1e9/s", null, "--relay-rate must be requests per second, minute or hour"},
            {null, "2000000/s", null, "--relay-rate must be above 0 and at most 1000000/s"},
            {null, "", null, "--relay-rate must be requests per second, minute or hour (e.g. 100/s, 600/m): got ''"},
            {null, null, "0", "--relay-burst must be from 1 to 1000000"},
            {null, null, "1000001", "--relay-burst must be from 1 to 1000000"},
            {null, null, "\u0007", "--relay-burst must be a whole number from 1 to 1000000: got '\\u0007'"},
        }) {
            assertThatThrownBy(() -> RelayLimitOptions.parse(bad[0], bad[1], bad[2]))
                    .as(String.join(",", String.valueOf(bad[0]), String.valueOf(bad[1]), String.valueOf(bad[2])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(bad[3]);
        }
        assertThat(RelayLimitOptions.defaults()).isEqualTo(new RelayLimitOptions(16, 100, 200));
        assertThat(RelayLimitOptions.parse(" 4 ", "600/M", "1")).isEqualTo(new RelayLimitOptions(4, 10, 1));
        assertThat(RelayLimitOptions.parse(null, "36/h", null).perSecond()).isEqualTo(0.01);
    }
}
