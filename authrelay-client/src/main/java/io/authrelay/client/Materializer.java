package io.authrelay.client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code authrelay materialize}: writes an AI CLI's delivered files under a home ({@link HomeWriter}), once or again
 * and again before they expire. The renewal comes at 80% of the delivery's remaining life, never later than
 * {@code every}, never sooner than {@link #MIN_INTERVAL}. While watching, trouble that heals by itself (no answer, 5xx,
 * 429) is retried with full-jitter backoff and the last good files stay; a refusal (401, 403, 404, 409 such as
 * needs_reauth, or an answer the client refuses) ends the watch.
 */
public final class Materializer {
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
    /** The share of the remaining life after which the files are renewed. */
    static final double RENEW_AT = 0.8;
    /** Backoff after failed renewals: full jitter, from 1 s doubling up to a minute. */
    private static final RetryClassifier BACKOFF = new RetryClassifier(Integer.MAX_VALUE, 1_000, 60_000, 0);

    private static final long MIN_BACKOFF_MILLIS = 1_000;

    /** Told about each round of a watch; the CLI prints these. */
    public interface Listener {
        void written(Written written);

        /** A failure that will be retried: its one-line message and the wait before the next try. */
        void retrying(String message, Duration wait);
    }

    /** One delivery on disk: the answer and the absolute paths written. */
    public record Written(Delivery delivery, List<Path> files) {}

    private final WorkspaceClient broker;
    private final HomeWriter home;
    private final Timekeeper time;
    private final RandomGenerator random;
    private volatile boolean stopped;
    private volatile Thread watcher;

    /** @param home the directory the paths are relative to; created 0700 at the first write when missing */
    public Materializer(WorkspaceClient broker, Path home) {
        this(broker, home, Timekeeper.SYSTEM, new java.util.SplittableRandom());
    }

    Materializer(WorkspaceClient broker, Path home, Timekeeper time, RandomGenerator random) {
        this.broker = broker;
        this.home = new HomeWriter(home);
        this.time = time;
        this.random = random;
    }

    /** One delivery, written. Nothing is written when any of its files is refused. */
    public Written once(String provider) throws BrokerUnreachableException, BrokerException, IOException {
        Delivery delivery = broker.deliver(provider);
        return new Written(delivery, home.write(delivery.files()));
    }

    /**
     * Delivers and writes until {@link #stop()}, then returns; the files of the last good delivery stay.
     *
     * @throws BrokerException a permanent refusal
     * @throws IOException     the files could not be written (a link planted in the home, a full disk, ...)
     */
    public void watch(String provider, Duration every, Listener listener) throws BrokerException, IOException {
        if (every.compareTo(MIN_INTERVAL) < 0) throw new IllegalArgumentException("the interval is under 5 s");
        watcher = Thread.currentThread();
        int failures = 0;
        while (!stopped) {
            long wait;
            try {
                Written written = once(provider);
                failures = 0;
                listener.written(written);
                wait = renewalDelay(time.now(), written.delivery().expiresAt(), every);
            } catch (BrokerUnreachableException | BrokerException | IOException e) {
                if (stopped) return;
                if (e instanceof BrokerException refused && !isTransient(refused)) throw refused;
                if (e instanceof IOException failedWrite) throw failedWrite;
                failures++;
                wait = backoff(e, failures);
                listener.retrying(e.getMessage(), Duration.ofMillis(wait));
            }
            try {
                time.sleep(wait);
            } catch (InterruptedException e) {
                if (stopped) return;
                Thread.currentThread().interrupt();
                throw new BrokerException(ErrorMessages.PREFIX + "interrupted", null);
            }
        }
    }

    /** Ends {@link #watch} from another thread (a signal handler): a sleep or a request in flight is cut short. */
    public void stop() {
        stopped = true;
        Thread thread = watcher;
        if (thread != null) thread.interrupt();
    }

    /** 80% of what is left before {@code expiresAt}, within [{@link #MIN_INTERVAL}, {@code every}]; millis. */
    static long renewalDelay(Instant now, Instant expiresAt, Duration every) {
        long ceiling = every.toMillis();
        if (expiresAt == null) return ceiling;
        long left = Duration.between(now, expiresAt).toMillis();
        long delay = (long) (left * RENEW_AT);
        return Math.max(MIN_INTERVAL.toMillis(), Math.min(ceiling, delay));
    }

    /** The broker's own trouble (5xx, 429) heals; its refusals and answers we refuse do not. */
    private static boolean isTransient(BrokerException e) {
        if (e.error() == null) return false;
        int status = e.error().status();
        return status >= 500 || RetryClassifier.isRetryableStatus(status);
    }

    private long backoff(Exception e, int failures) {
        if (e instanceof BrokerException refused && refused.error() != null) {
            long seconds =
                    RetryClassifier.parseRetryAfterSeconds(refused.error().retryAfter());
            if (seconds >= 0) return Math.max(MIN_BACKOFF_MILLIS, Math.min(seconds, 3_600) * 1_000);
        }
        long jittered = (long) (random.nextDouble() * BACKOFF.backoffCeiling(failures));
        return Math.max(MIN_BACKOFF_MILLIS, jittered);
    }
}
