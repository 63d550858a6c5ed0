package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Several Claude and Gemini logins at once each capture their own URL. {@code -Dauthrelay.cliRuns=N} sets how many of
 * each (4 here; the benchmark runs 20).
 */
class ConcurrentLoginsTest {
    private static final int RUNS = Integer.getInteger("authrelay.cliRuns", 4);
    private final CliRunner runner = Runners.shared();

    private record Started(RunHandle run, RecordingListener events) {}

    @Test
    void everyRunCapturesItsOwnUrl() throws Exception {
        RunSpec claude = AiClis.driverMode("claude-code", "claude", "paste", Runners.runsDir("concurrent"))
                .build();
        RunSpec gemini = GeminiLoginTest.paste();
        List<Started> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            for (RunSpec spec : List.of(claude, gemini)) {
                RecordingListener events = new RecordingListener();
                runs.add(new Started(runner.start(spec, events), events));
            }
        }

        Set<String> urls = new HashSet<>();
        for (Started s : runs) {
            String url = s.events().url();
            // the URL is one this run printed, and it was reported once
            assertThat(s.events().lines).contains(url);
            assertThat(s.events().urls).containsExactly(url);
            urls.add(url);
        }
        assertThat(urls).hasSize(runs.size());
        Set<String> geminiStates = new HashSet<>();
        for (String url : urls) {
            if (url.startsWith("https://accounts.google.com/"))
                geminiStates.add(CodexLoginTest.query(url).get("state"));
        }
        assertThat(geminiStates).hasSize(RUNS);

        for (Started s : runs) s.run().cancel();
        for (Started s : runs) {
            assertThat(s.run().awaitEnd(Duration.ofSeconds(60)).orElseThrow().cancelled())
                    .isTrue();
            Leftovers.assertNone(s.run());
        }
    }
}
