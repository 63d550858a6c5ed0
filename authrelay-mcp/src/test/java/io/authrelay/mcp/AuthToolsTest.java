package io.authrelay.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What each tool asks the daemon and tells the agent, against a fake daemon. */
class AuthToolsTest {
    private static final String LOGIN =
            "{\"session\":\"ls_1\",\"status\":\"pending\",\"verification_uri\":\"https://github.com/login/device\","
                    + "\"user_code\":\"ABCD-EFGH\",\"expires_at\":\"2030-01-01T00:15:00Z\",\"seconds_left\":900,\"already_pending\":false}";

    private final FakeBroker daemon = new FakeBroker().answer("POST /v1/logins", LOGIN);
    private final AuthTools tools = new AuthTools(daemon);

    @Test
    void theDefaultGitHubProviderIsTheOneNamedGithubElseTheOnlyOne() {
        daemon.providers("aaa", "github", "github", "github", "sso", "oidc-device");
        tools.login(null, null, false, true);
        assertThat(daemon.requests).anyMatch(r -> r.contains("\"provider\":\"github\""));

        FakeBroker single =
                new FakeBroker().answer("POST /v1/logins", LOGIN).providers("work", "github", "sso", "oidc-device");
        new AuthTools(single).login(null, null, false, true);
        assertThat(single.requests).anyMatch(r -> r.contains("\"provider\":\"work\""));
    }

    @Test
    void severalGitHubProvidersWithoutOneNamedGithubAreListedNotGuessed() {
        daemon.providers("aaa", "github", "zzz", "github");
        assertThatThrownBy(() -> tools.login(null, null, false, true))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("aaa, zzz")
                .hasMessageContaining("pass provider");
        daemon.providers("gitea", "static");
        assertThatThrownBy(() -> tools.login(null, null, false, true))
                .hasMessageContaining("no GitHub provider is configured");
    }

    @Test
    void aConnectedProviderIsReportedNotLoggedInAgainUnlessForced() {
        daemon.providers("github", "github");
        daemon.refusals.put(
                "POST /v1/logins",
                new ToolFailure("github is already connected as octocat (to sign in again ...)", "already_connected"));
        AuthTools.Result result = tools.login(null, null, false, true);
        assertThat(result.structured()).containsEntry("status", "already_connected");
        assertThat(result.text())
                .contains("already connected as octocat", "force=true")
                .doesNotContain("(to sign");

        daemon.refusals.clear();
        tools.login(null, null, true, true);
        assertThat(daemon.requests).anyMatch(r -> r.contains("\"force\":true"));
    }

    @Test
    void aDaemonThatIsDownIsExplainedTruthfully() {
        daemon.down = true;
        assertThat(tools.diagnose(null, false).text())
                .contains("not reachable", "starts the daemon itself")
                .doesNotContain("unset AUTHRELAY_AUTOSTART");
        daemon.autostartRefusal = "AUTHRELAY_AUTOSTART=0 is set";
        assertThat(tools.diagnose(null, false).text())
                .contains("Auto-start is off (AUTHRELAY_AUTOSTART=0 is set)", "authrelay server");
    }
}
