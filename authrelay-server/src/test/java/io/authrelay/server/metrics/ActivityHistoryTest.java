package io.authrelay.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.SettableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityHistoryTest {
    private final SettableClock clock = new SettableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActivityHistory history = new ActivityHistory(registry, clock);

    private void minutePasses() {
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        history.note();
    }

    @Test
    void eachMinuteCountsTheVendsAndLoginsOfThatMinuteAcrossTags() {
        Counter granted = registry.counter("authrelay_vends", "result", "granted");
        Counter refused = registry.counter("authrelay_vends", "result", "refused");
        Counter connected = registry.counter("authrelay_logins", "outcome", "connected");
        history.note();
        granted.increment(3);
        refused.increment();
        minutePasses();
        connected.increment(2);
        minutePasses();
        minutePasses();
        granted.increment(5); // the current minute, so far

        List<ActivityHistory.Minute> minutes = history.lastHour();
        assertThat(minutes).hasSize(60);
        assertThat(minutes.getLast().minute()).isEqualTo(clock.now);
        assertThat(minutes.subList(56, 60))
                .extracting(m -> m.vends() + "/" + m.logins())
                .containsExactly("4/0", "0/2", "0/0", "5/0");
        assertThat(minutes.subList(0, 56)).allMatch(m -> m.vends() == 0 && m.logins() == 0);
    }

    @Test
    void minutesOlderThanAnHourAreForgotten() {
        history.note();
        registry.counter("authrelay_vends").increment(7);
        for (int i = 0; i < 61; i++) minutePasses();
        assertThat(history.lastHour()).allMatch(m -> m.vends() == 0);
        assertThat(history.lastHour().getFirst().minute()).isEqualTo(clock.now.minus(Duration.ofMinutes(59)));
    }
}
