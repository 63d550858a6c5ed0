package io.authrelay.sim;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One simulator for a test class, registered as a static extension: started with the class, reset before each test,
 * closed after the last one.
 */
final class SimulatorForTests implements BeforeEachCallback, AfterAllCallback {
    final ProviderSimulator sim;
    final Http http;
    private final Consumer<ProviderSimulator> afterReset;

    private SimulatorForTests(SimOptions options, Consumer<ProviderSimulator> afterReset) {
        this.sim = ProviderSimulator.start(options);
        this.http = new Http(sim.baseUrl());
        this.afterReset = afterReset;
    }

    /** Each test starts from a fresh simulator state. */
    static SimulatorForTests resetEachTest(SimOptions options) {
        return new SimulatorForTests(options, sim -> {});
    }

    /**
     * Each test starts from a fresh state, with every client id allowed and no poll interval: most tests poll back to
     * back; a test of slow_down sets its own interval.
     */
    static SimulatorForTests openAndUnthrottledEachTest(SimOptions options) {
        return new SimulatorForTests(options, sim -> {
            sim.allowClients();
            sim.setIntervalSeconds(0);
        });
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        sim.reset();
        afterReset.accept(sim);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sim.close();
    }
}
