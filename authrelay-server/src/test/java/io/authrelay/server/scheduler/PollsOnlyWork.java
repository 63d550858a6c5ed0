package io.authrelay.server.scheduler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** A scheduler's work for tests about polls: refreshes never come due in the test, the periodic tasks do nothing. */
abstract class PollsOnlyWork implements DbScheduler.Work {
    @Override
    public Optional<Instant> refresh(String provider) {
        return Optional.of(Instant.now().plus(1, ChronoUnit.HOURS));
    }

    @Override
    public void pruneAudit() {}

    @Override
    public void pruneLogins() {}

    @Override
    public void endOrphanRuns() {}
}
