package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.client.FakeBroker.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code materialize}: once, and watching on virtual time (renewals, transient trouble, a permanent refusal, stop). */
class MaterializerTest {
    private static final String TOKEN = "arw_" + "m".repeat(40);
    private static final String FILE = ".claude/.credentials.json";
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final RecordingTimekeeper time = new RecordingTimekeeper();
    /** No jitter: a backoff is its floor. */
    private final RandomGenerator noJitter = () -> 0L;

    private Materializer materializer(FakeBroker broker, Timekeeper clock) throws Exception {
        BrokerClient client = new BrokerClient(
                BrokerConfig.of(broker.url(), TOKEN).withTimeoutMillis(3_000),
                RetryClassifier.singleAttempt(),
                noJitter,
                null,
                clock);
        return new Materializer(new WorkspaceClient(client), dir.resolve("home"), clock, noJitter);
    }

    /** A delivery whose token is numbered by request and expires an hour after the (virtual) present. */
    private Answer freshFor(int n, Duration life) {
        return Deliveries.ok("claude", time.now().plus(life), Map.of(), FILE, "token-" + n);
    }

    private static final class Recorder implements Materializer.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void written(Materializer.Written written) {
            events.add("written " + written.files());
        }

        @Override
        public void retrying(String message, Duration wait) {
            events.add("retrying in " + wait.toMillis() + ": " + message);
        }
    }

    @Test
    void onceWritesTheDeliveredFilesAndSaysWhere() throws Exception {
        try (FakeBroker broker = FakeBroker.always(freshFor(1, HOUR))) {
            Materializer.Written written = materializer(broker, time).once("claude");
            Path file = dir.resolve("home").toRealPath().resolve(FILE);
            assertThat(written.files()).containsExactly(file);
            assertThat(Files.readString(file)).isEqualTo("token-1");
            assertThat(written.delivery().expiresAt()).isEqualTo(RecordingTimekeeper.START.plus(HOUR));
        }
    }

    @Test
    void watchingRenewsAt80PercentOfTheLifeLeftSurvivesABusyBrokerAndStopsOnAPermanentRefusal() throws Exception {
        Answer busy = Answer.error(503, "provider_unavailable", "busy", null);
        Answer reauth = Answer.error(409, "needs_reauth", "claude needs a new login", "authrelay login claude");
        List<Instant> askedAt = new ArrayList<>();
        try (FakeBroker broker = new FakeBroker((i, r) -> {
            askedAt.add(time.now());
            return switch (i) {
                case 0 -> freshFor(1, HOUR);
                case 1, 2 -> busy;
                case 3 -> freshFor(2, Duration.ofMinutes(10));
                case 4 -> Deliveries.ok("claude", null, Map.of(), FILE, "token-3");
                default -> reauth;
            };
        })) {
            Recorder recorder = new Recorder();
            Materializer materializer = materializer(broker, time);

            assertThatThrownBy(() -> materializer.watch("claude", Duration.ofMinutes(30), recorder))
                    .isInstanceOf(BrokerException.class)
                    .hasMessage("authrelay: claude needs a new login: ask an admin to run authrelay login claude");

            // 30 min is the ceiling (80% of 1 h is 48 min); two failures back off 1 s, then 2 s; 80% of 10 min;
            // no expiry: the ceiling again
            assertThat(time.sleeps()).containsExactly(1_800_000L, 1_000L, 1_000L, 480_000L, 1_800_000L);
            Instant start = RecordingTimekeeper.START;
            assertThat(askedAt)
                    .containsExactly(
                            start,
                            start.plusSeconds(1_800),
                            start.plusSeconds(1_801),
                            start.plusSeconds(1_802),
                            start.plusSeconds(1_802 + 480),
                            start.plusSeconds(1_802 + 480 + 1_800));
            assertThat(recorder.events).hasSize(5);
            assertThat(recorder.events.get(1))
                    .isEqualTo("retrying in 1000: authrelay: provider unavailable: busy: try again later");
            // the last good files stay
            assertThat(Files.readString(dir.resolve("home").resolve(FILE))).isEqualTo("token-3");
        }
    }

    @Test
    void theBackoffGrowsWithEachFailureAndHonoursRetryAfter() throws Exception {
        Answer down = Answer.json(502, "<html>bad gateway</html>");
        Answer limited = Answer.error(429, "rate_limited", "slow down", null).retryAfter("7");
        RandomGenerator fullJitter = () -> -1L; // nextDouble just under 1
        try (FakeBroker broker = new FakeBroker(
                (i, r) -> i < 8 ? down : i == 8 ? limited : Answer.error(403, "not_granted", "no", null))) {
            BrokerClient client = new BrokerClient(
                    BrokerConfig.of(broker.url(), TOKEN).withTimeoutMillis(3_000),
                    RetryClassifier.singleAttempt(),
                    fullJitter,
                    null,
                    time);
            Materializer materializer =
                    new Materializer(new WorkspaceClient(client), dir.resolve("home"), time, fullJitter);
            assertThatThrownBy(() -> materializer.watch("claude", Duration.ofMinutes(10), new Recorder()))
                    .isInstanceOf(BrokerException.class)
                    .satisfies(e ->
                            assertThat(((BrokerException) e).error().status()).isEqualTo(403));
            assertThat(time.sleeps())
                    .containsExactly(1_000L, 1_999L, 3_999L, 7_999L, 15_999L, 31_999L, 59_999L, 59_999L, 7_000L);
        }
    }

    @Test
    void aBrokerNobodyAnswersForIsWaitedFor() throws Exception {
        FakeBroker gone = FakeBroker.always(freshFor(1, HOUR));
        gone.close();
        Recorder recorder = new Recorder();
        Materializer materializer = materializer(gone, time);
        recorder.events.clear();
        Materializer.Listener stopAfterThree = new Materializer.Listener() {
            @Override
            public void written(Materializer.Written written) {}

            @Override
            public void retrying(String message, Duration wait) {
                recorder.retrying(message, wait);
                if (recorder.events.size() == 3) materializer.stop();
            }
        };
        materializer.watch("claude", Duration.ofMinutes(10), stopAfterThree);
        assertThat(recorder.events).hasSize(3).allSatisfy(e -> assertThat(e).contains("broker unreachable at"));
    }

    @Test
    void aLinkPlantedInTheHomeEndsTheWatch() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(dir.resolve("home/.claude"), elsewhere);
        try (FakeBroker broker = FakeBroker.always(freshFor(1, HOUR))) {
            assertThatThrownBy(() -> materializer(broker, time).watch("claude", HOUR, new Recorder()))
                    .isInstanceOf(HomeWriter.DeliveryWriteRefused.class);
            assertThat(broker.requests()).hasSize(1);
            try (var files = Files.list(elsewhere)) {
                assertThat(files).isEmpty();
            }
        }
    }

    /** On the system's clock: stop() cuts the hour-long wait short, and watch returns normally. */
    @Test
    void stopEndsAWaitingWatchAndKeepsTheFiles() throws Exception {
        try (FakeBroker broker = FakeBroker.always(freshFor(1, HOUR))) {
            CountDownLatch written = new CountDownLatch(1);
            Materializer materializer = materializer(broker, Timekeeper.SYSTEM);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread watcher = new Thread(() -> {
                try {
                    materializer.watch("claude", HOUR, new Materializer.Listener() {
                        @Override
                        public void written(Materializer.Written w) {
                            written.countDown();
                        }

                        @Override
                        public void retrying(String message, Duration wait) {}
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            watcher.start();
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            materializer.stop();
            watcher.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(watcher.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(Files.readString(dir.resolve("home").resolve(FILE))).isEqualTo("token-1");
        }
    }

    @Test
    void theRenewalDelay() {
        Instant now = RecordingTimekeeper.START;
        Duration every = Duration.ofMinutes(10);
        assertThat(Materializer.renewalDelay(now, now.plus(HOUR), every)).isEqualTo(600_000);
        assertThat(Materializer.renewalDelay(now, now.plusSeconds(100), every)).isEqualTo(80_000);
        assertThat(Materializer.renewalDelay(now, now.plusSeconds(3), every)).isEqualTo(5_000);
        assertThat(Materializer.renewalDelay(now, now.minusSeconds(60), every)).isEqualTo(5_000);
        assertThat(Materializer.renewalDelay(now, null, every)).isEqualTo(600_000);
    }

    @Test
    void anIntervalUnderFiveSecondsIsRefused() throws Exception {
        try (FakeBroker broker = FakeBroker.always(freshFor(1, HOUR))) {
            Materializer materializer = materializer(broker, time);
            assertThatThrownBy(() -> materializer.watch("claude", Duration.ofSeconds(4), new Recorder()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(broker.requests()).isEmpty();
        }
    }
}
