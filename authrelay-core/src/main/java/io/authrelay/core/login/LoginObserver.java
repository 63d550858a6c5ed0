package io.authrelay.core.login;

import java.time.Duration;

/** What the login engine reports for metrics; the Micrometer adapter implements it. */
public interface LoginObserver {
    void loginEnded(LoginStatus outcome, Duration sinceStart);

    void polled(String result, Duration latency);
}
