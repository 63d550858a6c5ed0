package io.authrelay.core.fake;

import io.authrelay.core.clilogin.CliRunEvents;
import io.authrelay.core.clilogin.CliRunPort;
import io.authrelay.core.vault.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts nothing: remembers runs and relayed input, and lets a test play the CLI through {@link #events}. */
public final class RecordingRunPort implements CliRunPort {
    public final List<CliRunRequest> started = new ArrayList<>();
    public final Map<String, List<String>> inputs = new HashMap<>();
    public final List<String> cancelled = new ArrayList<>();
    public CliRunEvents events;
    /** What the next input gets back; a refusal never reaches {@link #inputs}. */
    public InputResult nextInput = new InputResult.Sent();

    @Override
    public void start(CliRunRequest request, Secret apiKey, CliRunEvents events) {
        started.add(request);
        this.events = events;
    }

    @Override
    public InputResult input(String sessionId, Secret input) {
        if (!isRunning(sessionId)) return new InputResult.NoRun();
        if (nextInput instanceof InputResult.Sent)
            inputs.computeIfAbsent(sessionId, id -> new ArrayList<>()).add(input.value());
        return nextInput;
    }

    @Override
    public boolean cancel(String sessionId) {
        cancelled.add(sessionId);
        return isRunning(sessionId);
    }

    @Override
    public boolean isRunning(String sessionId) {
        return started.stream().anyMatch(r -> r.sessionId().equals(sessionId)) && !cancelled.contains(sessionId);
    }
}
