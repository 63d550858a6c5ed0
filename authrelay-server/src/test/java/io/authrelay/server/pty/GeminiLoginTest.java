package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real Gemini CLI, driver mode {@code paste}: it needs a terminal, so it runs in a PTY. */
class GeminiLoginTest {
    static final String CLIENT_ID = "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com";
    private final CliRunner runner = Runners.shared();

    static RunSpec paste() {
        return AiClis.driverMode("gemini-cli", "gemini", "paste", Runners.runsDir("gemini"))
                .build();
    }

    @Test
    void capturesTheUrlAndThePromptAndRelaysTheCode() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(paste(), events);

        String url = events.url();
        events.awaitPrompts(1);
        Map<String, String> params = CodexLoginTest.query(url);
        assertThat(url).startsWith("https://accounts.google.com/o/oauth2/v2/auth?");
        assertThat(params.get("client_id")).isEqualTo(CLIENT_ID);
        assertThat(params.get("redirect_uri")).isEqualTo("https://codeassist.google.com/authcode");
        assertThat(params.get("state")).matches("[0-9a-f]{64}");
        assertThat(events.lines).contains(url);
        assertThat(events.lines).anyMatch(l -> l.startsWith("Please visit the following URL"));
        // what a benchmark reads: the capture's own cost and the CLI's time to its URL
        assertThat(run.timings().chunkToUrl()).isPresent();
        assertThat(run.timings().startToUrl()).isPresent();

        // gemini takes the code and tries the exchange, which fails offline; the PTY's echo of the code is masked
        run.input("4/authrelay-test-code");
        events.awaitLine("Failed to authenticate with authorization code");
        assertThat(events.lines).noneMatch(l -> l.contains("authrelay-test-code"));
        assertThat(events.urls).containsExactly(url);

        run.cancel();
        RunEnd end = run.awaitEnd(Duration.ofSeconds(30)).orElseThrow();
        assertThat(end.cancelled()).isTrue();
        assertThat(end.failureSeen()).isTrue();
        Leftovers.assertNone(run);
    }
}
