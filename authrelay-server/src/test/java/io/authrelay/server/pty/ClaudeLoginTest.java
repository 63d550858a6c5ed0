package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real Claude Code CLI, driver mode {@code paste}: offline, it gets as far as the token exchange. */
class ClaudeLoginTest {
    private final CliRunner runner = Runners.shared();

    private RunSpec paste() {
        return AiClis.driverMode("claude-code", "claude", "paste", Runners.runsDir("claude"))
                .build();
    }

    @Test
    void capturesThePrintedPasteUrlAndThePrompt() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(paste(), events);

        String url = events.url();
        events.awaitPrompts(1);

        // exactly the line claude printed after "visit:", its own paste-code authorize URL
        assertThat(events.lines).contains(url);
        assertThat(events.lines.get(events.lines.indexOf(url) - 1)).contains("visit:");
        assertThat(url).startsWith("https://claude.ai/oauth/authorize?").doesNotContain("localhost");
        assertThat(events.urls).containsExactly(url);

        run.cancel();
        RunEnd end = run.awaitEnd(Duration.ofSeconds(30)).orElseThrow();
        assertThat(end.cancelled()).isTrue();
        assertThat(end.timedOut()).isFalse();
        Leftovers.assertNone(run);
    }

    @Test
    void relaysThePastedCodeToClaude() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(paste(), events);
        events.awaitPrompts(1);

        // without '#' claude explains and keeps waiting for a proper code
        run.input("no-hash-here");
        events.awaitLine("doesn't look like the full code");
        assertThat(events.end).isNotDone();

        // a well-formed code: claude tries the exchange, which fails offline, and says so
        run.input("authrelay-code#authrelay-state");
        RunEnd end = run.awaitEnd(Duration.ofSeconds(60)).orElseThrow();

        assertThat(end.timedOut()).isFalse();
        assertThat(end.cancelled()).isFalse();
        assertThat(end.failureSeen()).isTrue();
        assertThat(end.lastLine()).startsWith("Couldn't log in");
        assertThat(end.exitCode()).isNotZero();
        assertThat(end.successSeen()).isFalse();
        assertThat(events.lines).noneMatch(l -> l.contains("authrelay-code"));
        Leftovers.assertNone(run);
    }
}
