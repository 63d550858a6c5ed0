package io.authrelay.server.home;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.StartupRefusal;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** providers.yaml as an attacker or a tired admin writes it: refused with the file and the problem, or applied whole. */
class ProvidersYamlTest {
    private static final String GITEA = "  - name: gitea\n    type: static\n    host: git.example.test\n";

    @RegisterExtension
    final TestBroker d = TestBroker.inProcess().startedByTest();

    private String declare(String yaml) {
        return PrivateDirs.file(PrivateDirs.directory(d.home()).resolve(ProvidersFile.NAME), yaml)
                .toString();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            providers:\\n  - name: x\\n    type: static\\n    host: h.test\\n    colour: blue\\n | not valid
            providers:\\n  - name: x\\n    type: static\\n    type: github\\n    host: h.test\\n | not valid
            providers:\\n  - name: x\\n    type: static\\n    host: h.test\\n    scopes: [repo, user]\\n | not valid
            providers:\\n  - name: x\\n    type: static\\n    host: h.test\\n    allow_http: maybe\\n | not valid
            providers:\\n  name: x\\n | not valid
            providers:\\n  - name: x\\n    type: github\\n    client_id: 0x1F\\n | not valid at 'client_id' (line 4)
            providers:\\n  - name: x\\n    type: static\\n    host: h.test\\n  -\\n | entry 2 is empty
            providers:\\n  - type: static\\n    host: h.test\\n | entry 1 has no name
            providers:\\n  - name: x\\n    type: static\\n    host: null\\n | provider 'x': 'null' is not a host name
            providers:\\n  - name: Bad Name\\n    type: static\\n    host: h.test\\n | provider 'Bad Name'
            """)
    void aBrokenFileRefusesTheStartNamingTheFileAndTheProblem(String yaml, String problem) {
        String file = declare(yaml.replace("\\n", "\n"));
        assertThatThrownBy(d::start)
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith(file)
                .hasMessageContaining(problem);
    }

    @Test
    void twoEntriesWithOneNameAreRefusedAndNothingIsApplied() {
        String file = declare("providers:\n" + GITEA + "  - name: other\n    type: static\n    host: o.test\n" + GITEA);
        assertThatThrownBy(d::start)
                .isInstanceOf(StartupRefusal.class)
                .hasMessage(file + ": provider 'gitea' is declared twice (entries 1 and 3); keep one entry per name");
        assertThat(d.database().count("SELECT COUNT(*) FROM provider")).isZero();
    }

    @Test
    void aBadEntryAfterGoodOnesChangesNothing() {
        declare("providers:\n" + GITEA + "  - name: sso\n    type: oidc-device\n    client_id: cli\n");
        assertThatThrownBy(d::start).isInstanceOf(StartupRefusal.class).hasMessageContaining("provider 'sso'");
        assertThat(d.database().count("SELECT COUNT(*) FROM provider")).isZero();
    }

    @Test
    void nullsAreUnsetKeysAndAllowHttpIsStoredAndShown() {
        declare("providers:\n  - name: local\n    type: static\n    host: localhost:8080\n    username: ~\n"
                + "    allow_http: true\n  - name: plain\n    type: static\n    host: p.test\n    allow_http: null\n");
        d.start();
        JsonNode local = expect(200, d.send("GET", "/v1/providers/local", null)).json();
        assertThat(local.path("allow_http").asBoolean()).isTrue();
        assertThat(local.path("username").isNull())
                .as("~ is null, not a username")
                .isTrue();
        assertThat(expect(200, d.send("GET", "/v1/providers/plain", null))
                        .json()
                        .path("allow_http")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void renamingAProviderAddsTheNewOneAndLeavesTheOldOneWithItsData() {
        declare("providers:\n" + GITEA);
        d.start();
        expect(200, d.send("PUT", "/v1/credentials/gitea", "{\"secret\":\"gitea-secret\"}"));
        d.createWorkspace("agents", "gitea");
        d.terminate();

        declare("providers:\n" + GITEA.replace("gitea", "forge"));
        d.start();

        assertThat(expect(200, d.send("GET", "/v1/providers", null)).json().path("providers"))
                .extracting(p -> p.path("name").asString())
                .containsExactly("forge", "gitea");
        assertThat(expect(200, d.send("POST", "/v1/credentials/gitea/token", "{}"))
                        .json()
                        .path("token")
                        .asString())
                .isEqualTo("gitea-secret");
        assertThat(d.grantedProviders("agents")).containsExactly("gitea");
        assertThat(expect(200, d.send("GET", "/v1/credentials", null)).body()).doesNotContain("forge");
    }
}
