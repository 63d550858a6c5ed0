package io.authrelay.core.login;

import java.time.Duration;

/** What the login and refresh engines report for metrics; the Micrometer adapter implements it. */
public interface LoginObserver {
    void loginEnded(LoginStatus outcome, Duration sinceStart);

    void polled(String result, Duration latency);

    void refreshed(String outcome);

    LoginObserver NONE = new LoginObserver() {
        @Override
        public void loginEnded(LoginStatus outcome, Duration sinceStart) {}

        @Override
        public void polled(String result, Duration latency) {}

        @Override
        public void refreshed(String outcome) {}
    };
}
