package io.authrelay.core.fake;

import io.authrelay.core.credential.RefreshObserver;
import io.authrelay.core.login.LoginObserver;
import io.authrelay.core.login.LoginStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The outcomes the engines reported, in order. */
public final class RecordingObserver implements LoginObserver, RefreshObserver {
    private final List<LoginStatus> loginsEnded = new CopyOnWriteArrayList<>();
    private final List<String> refreshes = new CopyOnWriteArrayList<>();

    @Override
    public void loginEnded(LoginStatus outcome, Duration sinceStart) {
        loginsEnded.add(outcome);
    }

    @Override
    public void polled(String result, Duration latency) {}

    @Override
    public void refreshed(String outcome) {
        refreshes.add(outcome);
    }

    public List<LoginStatus> loginsEnded() {
        return loginsEnded;
    }

    public List<String> refreshes() {
        return refreshes;
    }
}
