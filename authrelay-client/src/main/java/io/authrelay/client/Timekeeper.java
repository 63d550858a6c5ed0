package io.authrelay.client;

/**
 * The time {@link BrokerClient} reads and waits on between attempts: the system's in production, a recording one in
 * tests, which then check the backoffs and the deadline without sleeping or measuring elapsed time.
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
    };

    /** Monotonic, like {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code millis}; called for every backoff the client decides on, 0 included. */
    void sleep(long millis) throws InterruptedException;
}
