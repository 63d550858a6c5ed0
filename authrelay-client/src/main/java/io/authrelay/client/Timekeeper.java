package io.authrelay.client;

/**
 * The time {@link BrokerClient} and {@link Materializer} read and wait on: the system's in production, a recording one
 * in tests, which then check the backoffs, the deadline and the renewals without sleeping or measuring elapsed time.
 */
interface Timekeeper {
    Timekeeper SYSTEM = new Timekeeper() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            if (millis > 0) Thread.sleep(millis);
        }

        @Override
        public java.time.Instant now() {
            return java.time.Instant.now();
        }
    };

    /** Monotonic, like {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code millis}; called for every backoff the client decides on, 0 included. */
    void sleep(long millis) throws InterruptedException;

    /** Wall-clock time, to compare with the expiry times the broker sends. */
    java.time.Instant now();
}
