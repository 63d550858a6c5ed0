package io.authrelay.core.login;

import java.time.Duration;

/** How long transient poll failures are tolerated: {@code maxConsecutiveFailures} in a row end a login, backoff never exceeds {@code maxBackoff}. */
public record PollPolicy(int maxConsecutiveFailures, Duration maxBackoff) {
    public static PollPolicy defaults() {
        return new PollPolicy(8, Duration.ofSeconds(60));
    }
}
