package io.authrelay.server.home;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A new type, client id, issuer or base URL in providers.yaml makes the stored credential worthless: after a restart
 * it is gone with its sealed tokens, the grants and login history stay, and the log says so once, at WARN.
 */
class IdentityChangeTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess().startedByTest();

    private static String oidc(String clientId, String issuer) {
        return "providers:\n  - name: p\n    type: oidc-device\n    client_id: " + clientId + "\n    issuer: " + issuer
                + "\n";
    }

    private static String github(String baseUrl) {
        return "providers:\n  - name: p\n    type: github\n    client_id: cli\n    base_url: " + baseUrl + "\n";
    }

    private void declare(String yaml) {
        PrivateDirs.file(PrivateDirs.directory(d.home()).resolve(ProvidersFile.NAME), yaml);
    }

    /** Starts the daemon with provider p declared against a new simulator (its URL given) and logs in through it. */
    private ProviderSimulator loggedInThrough(Flavor flavor, Function<String, String> declaration) {
        ProviderSimulator sim = d.startSimulator(SimOptions.defaults(flavor).withIntervalSeconds(1));
        declare(declaration.apply(sim.baseUrl()));
        d.start();
        d.loginApprovedBy(sim, "p");
        return sim;
    }

    @Test
    void aNewClientIdDropsTheCredential() {
        ProviderSimulator sim = loggedInThrough(Flavor.OIDC, url -> oidc("cli", url));
        assertTheChangeDropsOnlyTheCredential(oidc("cli-2", sim.issuer()), "client_id", true);
    }

    @Test
    void aNewIssuerDropsTheCredential() {
        loggedInThrough(Flavor.OIDC, url -> oidc("cli", url));
        try (ProviderSimulator other = ProviderSimulator.start(SimOptions.defaults(Flavor.OIDC))) {
            assertTheChangeDropsOnlyTheCredential(oidc("cli", other.issuer()), "issuer", true);
        }
    }

    @Test
    void aNewBaseUrlDropsTheCredential() {
        loggedInThrough(Flavor.GITHUB, IdentityChangeTest::github);
        assertTheChangeDropsOnlyTheCredential(github("https://ghe.example.test"), "base_url", true);
    }

    @Test
    void aNewTypeDropsTheCredential() {
        declare("providers:\n  - name: p\n    type: static\n    host: ghe.example.test\n");
        d.start();
        expect(200, d.send("PUT", "/v1/credentials/p", "{\"secret\":\"static-secret-value\"}"));
        assertTheChangeDropsOnlyTheCredential(github("https://ghe.example.test"), "type", false);
    }

    private long sealedTokens() {
        return d.database()
                .count("SELECT COUNT(*) FROM sealed_secret WHERE owner_kind = 'credential' AND owner_id = 'p'");
    }

    private List<String> loginSessions() {
        return expect(200, d.send("GET", "/v1/logins?provider=p", null))
                .json()
                .path("logins")
                .valueStream()
                .map(l -> l.path("session").asString())
                .toList();
    }

    private void assertTheChangeDropsOnlyTheCredential(String changed, String field, boolean loggedIn) {
        d.createWorkspace("agents", "p");
        String token = expect(200, d.send("POST", "/v1/credentials/p/token", "{}"))
                .json()
                .path("token")
                .asString();
        assertThat(sealedTokens()).isPositive();
        long otherSecrets = d.database().count("SELECT COUNT(*) FROM sealed_secret") - sealedTokens();
        List<String> logins = loginSessions();
        assertThat(logins).hasSize(loggedIn ? 1 : 0);
        d.terminate();
        int logged = d.log().length();
        declare(changed);
        d.start();

        assertThat(expect(200, d.send("GET", "/v1/credentials", null)).json().path("credentials"))
                .isEmpty();
        assertThat(sealedTokens()).isZero();
        assertThat(d.database().count("SELECT COUNT(*) FROM sealed_secret")).isEqualTo(otherSecrets);
        assertThat(d.grantedProviders("agents")).containsExactly("p");
        assertThat(loginSessions()).isEqualTo(logins);

        String log = d.log().substring(logged);
        List<String> warnings =
                log.lines().filter(line -> line.contains(" WARN ")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst()).contains("provider 'p'", "new " + field, "credential");
        assertThat(log).doesNotContain(token);
    }
}
