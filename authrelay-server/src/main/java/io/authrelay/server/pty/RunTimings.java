package io.authrelay.server.pty;

import java.time.Duration;
import java.util.Optional;

/**
 * Timestamps of a run ({@link System#nanoTime()}, 0 when it has not happened): the process start, the arrival of the
 * output chunk that held the URL, and the moment {@link RunListener#urlCaptured} was called (for a URL the CLI
 * printed). For benchmarks of the capture path.
 */
public record RunTimings(long processStarted, long urlChunkArrived, long urlCaptured) {

    /** From the process start to the URL's report. */
    public Optional<Duration> startToUrl() {
        return processStarted == 0 || urlCaptured == 0
                ? Optional.empty()
                : Optional.of(Duration.ofNanos(urlCaptured - processStarted));
    }

    /** From the bytes arriving on the PTY or pipe to the URL's report: the runner's own cost. */
    public Optional<Duration> chunkToUrl() {
        return urlChunkArrived == 0 || urlCaptured == 0
                ? Optional.empty()
                : Optional.of(Duration.ofNanos(urlCaptured - urlChunkArrived));
    }
}
