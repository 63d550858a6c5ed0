package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `authrelay provider remove`, `add --allow-http` and `list` as a user reads them. */
class ProviderCliTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC))
            .withProvidersYaml(
                    sim -> "providers:\n  - name: sso\n    type: oidc-device\n    client_id: cli\n    issuer: "
                            + sim.issuer() + "\n");

    @Test
    void removeRefusesAProviderInUseInOneLineWithAHintAndExit2ThenForceRemovesIt() {
        broker.addStaticProvider("forge", "git.forge.test", "forge-secret");
        broker.createWorkspace("agents", "forge");

        CliRun refused = broker.cli("provider", "remove", "forge");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err())
                .isEqualTo("authrelay: provider 'forge' is in use: removing it deletes the credential and 1 grant in"
                        + " workspace agents\n  hint: to delete it with all of that: authrelay provider remove forge"
                        + " --force (API: DELETE /v1/providers/forge?force=true)\n");

        CliRun forced = broker.cli("provider", "remove", "forge", "--force");

        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(forced.out())
                .isEqualTo("removed provider 'forge' with the credential and 1 grant in workspace agents\n");
    }

    @Test
    void removingAProviderThatProvidersYamlDeclaresSaysTheNextStartBringsItBack() {
        CliRun removed = broker.cli("provider", "remove", "sso");

        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(removed.out())
                .isEqualTo("removed provider 'sso'\n  hint: it is still declared in "
                        + broker.home().resolve("providers.yaml")
                        + ", so the next start adds it again: delete its entry there to keep it removed\n");
    }

    @Test
    void listShowsWhoMayServePlainHttpAndWhichProviderIsDegraded() {
        CliRun added =
                broker.cli("provider", "add", "local", "--type", "static", "--host", "localhost:8080", "--allow-http");
        assertThat(added.exit()).as(added.toString()).isZero();
        broker.terminate();
        broker.sim().close();
        broker.start();

        CliRun list = broker.cli("provider", "list");

        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out().lines()).first().asString().matches("NAME +TYPE +HOST +USERNAME +HTTP +STATE");
        assertThat(list.out().lines())
                .anySatisfy(line -> assertThat(line).matches("local +static +localhost:8080 +- +allowed +ok"))
                .anySatisfy(line -> assertThat(line)
                        .matches("sso +oidc-device +127\\.0\\.0\\.1 +- +- +degraded since \\S+: provider 'sso' is"
                                + " unavailable: OpenID discovery at .* failed: connection refused"));
    }
}
