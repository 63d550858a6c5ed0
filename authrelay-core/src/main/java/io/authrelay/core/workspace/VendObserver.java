package io.authrelay.core.workspace;

import java.time.Duration;

/** Vend outcomes for metrics. */
public interface VendObserver {
    void vended(String workspace, String result, Duration latency);
}
