package io.authrelay.server.clilogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.StartupRefusal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * providers.yaml's driver overrides that would have the broker hand a workspace what every client refuses (a file
 * outside its home, a loader variable), or read and write outside a run's home: refused when the daemon starts, not
 * at each workspace's delivery or at the end of a login.
 */
class DriverCatalogAttackTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Test
    void deliveryFilesOutsideTheHomeAreRefusedAtStart() {
        for (String path : new String[] {"../.bashrc", "/etc/profile", ".codex/../../x", "a//b", "./a", "a\\\\b"}) {
            String override = "delivery: {oauth: {files: [{path: '" + path + "', content: 'x'}]}}";
            assertThatThrownBy(() -> load("codex", override))
                    .as(path)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("delivery");
        }
    }

    @Test
    void relayFilesOutsideTheirDirectoryAndRelayVariablesThatChangeHowProgramsRunAreRefusedAtStart() {
        for (String override : new String[] {
            "relay: {files: [{path: '../.bashrc', content: x}]}",
            "relay: {files: [{path: '/etc/profile', content: x}]}",
            "relay: {env: {LD_PRELOAD: '{{relay_home}}/x.so'}}",
            "relay: {env: {HOME: '{{relay_home}}'}}"
        }) {
            assertThatThrownBy(() -> load("codex", override))
                    .as(override)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("relay");
        }
    }

    /**
     * relay.headers is set on every upstream request: not a credential, the host or the framing, no value but the
     * credential's account (so never a token), nothing that could end the header line, one declaration per name.
     */
    @Test
    void relayHeadersThatCouldCarryATokenOrForgeTheRequestAreRefusedAtStart() {
        for (String override : new String[] {
            "relay: {headers: {Authorization: 'Bearer {{account}}'}}",
            "relay: {headers: {proxy-authorization: x}}",
            "relay: {headers: {Cookie: 'a={{account}}'}}",
            "relay: {headers: {HOST: evil.test}}",
            "relay: {headers: {Content-Length: '0'}}",
            "relay: {headers: {transfer-encoding: chunked}}",
            "relay: {headers: {Connection: close}}",
            "relay: {headers: {'Bad Name': x}}",
            "relay: {headers: {'X-A:': x}}",
            "relay: {headers: {'': x}}",
            "relay: {headers: {X-Token: '{{access_token}}'}}",
            "relay: {headers: {X-Token: '{{ account }}'}}",
            "relay: {headers: {X-A: \"{{account}}\\r\\nAuthorization: Bearer x\"}}",
            "relay: {headers: {X-A: \"a\\nb\"}}",
            "relay: {headers: {X-A: \"a\\0b\"}}",
            "relay: {headers: {X-A: ' padded'}}",
            "relay: {headers: {X-A: ''}}",
            "relay: {headers: {chatgpt-account-id: '{{account}}'}}"
        }) {
            assertThatThrownBy(() -> load("codex", override))
                    .as(override)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("relay.headers");
        }
        assertThat(load("codex", "relay: {headers: {X-Plain: 'v1', X-Mixed: 'org-{{account}}-x'}}")
                        .find("codex")
                        .orElseThrow()
                        .relay()
                        .headers())
                .containsEntry("ChatGPT-Account-ID", "{{account}}")
                .containsEntry("X-Plain", "v1")
                .containsEntry("X-Mixed", "org-{{account}}-x");
    }

    @Test
    void deliveryVariablesThatChangeHowProgramsRunAreRefusedAtStart() {
        for (String name :
                new String[] {"LD_PRELOAD", "NODE_OPTIONS", "PATH", "BASH_ENV", "AUTHRELAY_URL", "1BAD", "A=B"}) {
            String override = "delivery: {oauth: {env: {'" + name + "': '{{access_token}}'}}}";
            assertThatThrownBy(() -> load("codex", override))
                    .as(name)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void runAndCapturePathsOutsideTheHomeAreRefusedAtStart() {
        for (String override : new String[] {
            "prepare: [{path: '../../escape', content: x}]",
            "prepare: [{path: '/tmp/escape', content: x}]",
            "capture: {oauth: {file: '../keyset.json', access_token: /a}}",
            "capture: {oauth: {file: '/home/daemon/.authrelay/keyset.json', access_token: /a}}",
            "capture: {oauth: {file: .codex/auth.json, access_token: /a, account: /b, account_file: ../../x}}"
        }) {
            assertThatThrownBy(() -> load("codex", override)).as(override).isInstanceOf(StartupRefusal.class);
        }
    }

    @Test
    void aBadPatternOrUnknownModeIsRefusedAtStart() {
        assertThatThrownBy(() -> load("codex", "modes: {device: {patterns: {url: '(unclosed'}}}"))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> load("codex", "default_mode: nope")).isInstanceOf(StartupRefusal.class);
        assertThatThrownBy(() -> load("codex", "modes: {device: {unknown_field: 1}}"))
                .isInstanceOf(StartupRefusal.class);
    }

    @Test
    void theShippedDriversPassTheirOwnChecks() {
        assertThat(DriverCatalog.shipped().names()).contains("codex", "claude-code", "gemini-cli");
    }

    private static DriverCatalog load(String type, String overrideYaml) {
        JsonNode override = YAML.readTree(overrideYaml);
        return DriverCatalog.load(Map.of(type, override), "providers.yaml");
    }
}
