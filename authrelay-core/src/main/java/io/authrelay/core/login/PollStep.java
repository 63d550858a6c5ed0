package io.authrelay.core.login;

import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One poll whose provider answer is in but whose writes are not: the caller runs {@link #write} in a transaction of
 * its choosing, alone ({@link LoginPoller#pollOnce}) or together with other logins' polls (the scheduler commits the
 * polls that finish at about the same time at once), then calls {@link #committed} once that transaction committed.
 */
public interface PollStep {
    /** A login with nothing left to write: gone, or already ended. */
    PollStep NOTHING = continuing(Optional::empty);

    /**
     * The poll's writes; runs inside a transaction.
     *
     * @return when to poll next, or empty once the login has ended
     */
    Optional<Instant> write();

    /** What must follow only a committed write (the ending's metrics, the new credential's refresh timer). */
    void committed();

    /** A step with nothing to do after its commit. */
    static PollStep continuing(Supplier<Optional<Instant>> writes) {
        return new PollStep() {
            @Override
            public Optional<Instant> write() {
                return writes.get();
            }

            @Override
            public void committed() {}
        };
    }

    /**
     * A step that ends the login: {@code writes} says whether this poll ended it (another poll may have first), and
     * {@code afterCommit} runs only then.
     */
    static PollStep ending(BooleanSupplier writes, Runnable afterCommit) {
        return new PollStep() {
            private boolean ended;

            @Override
            public Optional<Instant> write() {
                ended = writes.getAsBoolean();
                return Optional.empty();
            }

            @Override
            public void committed() {
                if (ended) afterCommit.run();
            }
        };
    }
}
