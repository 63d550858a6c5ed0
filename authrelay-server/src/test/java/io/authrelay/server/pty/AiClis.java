package io.authrelay.server.pty;

import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.LoginMode;
import io.authrelay.server.clilogin.DriverCatalog;
import io.authrelay.server.clilogin.PtyCliRuns;
import io.authrelay.server.testing.RealAiCli;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real AI CLIs (tools/ai-clis, pinned; {@code -Dauthrelay.aiClis=<node_modules/.bin>} points elsewhere) and
 * their driver files: a test builds its run from the driver's mode, so the shipped patterns are what is tested.
 */
final class AiClis {
    private AiClis() {}

    static Path cli(String name) {
        return RealAiCli.named(name).executable();
    }

    /** A run of one driver mode as the shipped driver describes it, built the way the daemon builds it. */
    static RunSpec.Builder driverMode(String driver, String cli, String mode, Path runsDir) {
        CliDriver shipped = DriverCatalog.shipped().find(driver).orElseThrow();
        LoginMode m = shipped.modes().get(mode);
        if (m == null) throw new IllegalArgumentException(driver + " has no mode " + mode);
        return PtyCliRuns.specFor(shipped, m, cli(cli), runsDir).timeout(Duration.ofMinutes(2));
    }
}
