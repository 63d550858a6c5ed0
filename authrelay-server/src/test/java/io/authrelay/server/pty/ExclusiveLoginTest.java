package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Codex's browser login listens on the fixed port 1455 and sends {@code GET /cancel} to whoever holds it: the driver's
 * machine lock makes a second login wait instead of cancelling the first.
 */
class ExclusiveLoginTest {
    private final CliRunner runner = Runners.shared();

    @Test
    void aSecondCodexBrowserLoginQueuesUntilTheFirstEnds() throws Exception {
        RunSpec spec = CodexLoginTest.mode("browser").build();
        assertThat(spec.exclusiveLock()).isEqualTo("codex-login-port-1455");

        RecordingListener first = new RecordingListener();
        RunHandle firstRun = runner.start(spec, first);
        String firstUrl = first.url();

        RecordingListener second = new RecordingListener();
        RunHandle secondRun = runner.start(spec, second);
        awaitQueued(second);
        assertThat(second.queuedAt).startsWith(1);
        assertThat(second.locked).isNotDone();
        assertThat(second.urls).isEmpty();
        assertThat(first.end)
                .as("the first login was never cancelled by the second")
                .isNotDone();

        firstRun.cancel();
        RunEnd firstEnd = firstRun.awaitEnd(Duration.ofSeconds(30)).orElseThrow();
        assertThat(firstEnd.cancelled())
                .as("it ended because we cancelled it, not codex")
                .isTrue();

        second.locked.get(30, TimeUnit.SECONDS);
        String secondUrl = second.url();
        assertThat(CodexLoginTest.query(secondUrl).get("state"))
                .isNotEqualTo(CodexLoginTest.query(firstUrl).get("state"));
        assertThat(CodexLoginTest.query(secondUrl).get("redirect_uri"))
                .isEqualTo("http://127.0.0.1:1455/auth/callback");

        secondRun.cancel();
        assertThat(secondRun.awaitEnd(Duration.ofSeconds(30)).orElseThrow().cancelled())
                .isTrue();
        Leftovers.assertNone(firstRun);
        Leftovers.assertNone(secondRun);
    }

    @Test
    void aQueuedRunCanBeCancelled() throws Exception {
        RunSpec spec = RunSpec.builder(java.nio.file.Path.of("/bin/sleep"), Runners.runsDir("lock"))
                .args(java.util.List.of("300"))
                .exclusiveLock("authrelay-test-queue")
                .lockDir(Runners.runsDir("lock").resolve("locks"))
                .build();
        RecordingListener holder = new RecordingListener();
        RunHandle holding = runner.start(spec, holder);
        holder.locked.get(30, TimeUnit.SECONDS);
        RecordingListener waiter = new RecordingListener();
        RunHandle waiting = runner.start(spec, waiter);
        awaitQueued(waiter);

        waiting.cancel();
        RunEnd end = waiting.awaitEnd(Duration.ofSeconds(30)).orElseThrow();
        assertThat(end.cancelled()).isTrue();
        assertThat(end.exitCode()).isEqualTo(-1);
        assertThat(waiter.locked).isNotDone();
        assertThat(holder.end).isNotDone();

        holding.cancel();
        assertThat(holding.awaitEnd(Duration.ofSeconds(30)).orElseThrow().cancelled())
                .isTrue();
        Leftovers.assertNone(holding);
        Leftovers.assertNone(waiting);
    }

    private static void awaitQueued(RecordingListener events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.queuedAt.isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never queued");
            Thread.sleep(20);
        }
    }
}
