package io.authrelay.cli;

import io.authrelay.server.ListenAddress;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "dev",
        description = "Tools for trying authrelay out and testing against it.",
        mixinStandardHelpOptions = true,
        subcommands = DevCommand.ProviderSim.class)
final class DevCommand {

    @Command(
            name = "provider-sim",
            description =
                    "Run an OAuth provider simulator (device flow, refresh rotation, fault injection) until Ctrl-C.")
    static final class ProviderSim implements Callable<Integer> {
        private final CliContext context;

        @Option(
                names = "--listen",
                defaultValue = "127.0.0.1:8787",
                description = "HOST:PORT (default: ${DEFAULT-VALUE}).")
        String listen;

        @Option(names = "--flavor", defaultValue = "oidc", description = "oidc or github (default: ${DEFAULT-VALUE}).")
        String flavor;

        @Option(names = "--interval", description = "Poll interval in seconds for new codes (default 5).")
        Integer interval;

        @Option(names = "--code-lifetime", description = "Device code lifetime in seconds (default 900).")
        Integer codeLifetime;

        @Option(
                names = "--token-lifetime",
                description = "Access token lifetime in seconds; 0 = never expires, no refresh token.")
        Integer tokenLifetime;

        ProviderSim(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws InterruptedException {
            Flavor chosen;
            try {
                chosen = Flavor.named(flavor);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, "--flavor: " + e.getMessage(), null);
            }
            ListenAddress address;
            try {
                address = ListenAddress.parse(listen);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage(), null);
            }
            SimOptions options =
                    SimOptions.defaults(chosen).withHost(address.host()).withPort(address.port());
            if (interval != null) options = options.withIntervalSeconds(interval);
            if (codeLifetime != null) options = options.withCodeLifetimeSeconds(codeLifetime);
            if (tokenLifetime != null) options = options.withTokenLifetimeSeconds(tokenLifetime);
            ProviderSimulator sim;
            try {
                sim = ProviderSimulator.start(options);
            } catch (RuntimeException e) {
                throw new CliFailure(
                        ExitCodes.FAILED,
                        "cannot start the simulator on " + listen + ": " + e.getMessage(),
                        "choose another --listen");
            }
            var out = context.out();
            out.printf("provider simulator (%s) at %s%n", flavor, sim.baseUrl());
            if (chosen == Flavor.GITHUB) {
                out.printf(
                        "  authrelay provider add sim --type github --client-id dev --base-url %s --host github.sim%n",
                        sim.baseUrl());
            } else {
                out.printf(
                        "  authrelay provider add sim --type oidc-device --client-id dev --issuer %s%n", sim.issuer());
            }
            out.printf(
                    "  approve a code:  curl -s -X POST %s/sim/approve -d '{\"user_code\":\"ABCD-EFGH\"}'%n",
                    sim.baseUrl());
            out.printf(
                    "  inject faults:   curl -s -X POST %s/sim/faults -d '{\"error_rate\":0.5,\"latency_ms\":2000}'%n",
                    sim.baseUrl());
            out.printf("  poll log:        curl -s %s/sim/polls%n", sim.baseUrl());
            out.flush();
            Termination.onSignals().await(new io.authrelay.server.StopRequest());
            sim.close();
            return ExitCodes.OK;
        }
    }
}
