package io.authrelay.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What an agent (perhaps prompt-injected) can make auth_login_input send, against a fake daemon. */
class AuthToolsAttackTest {
    private final FakeBroker daemon = new FakeBroker()
            .answer("POST /v1/logins/ls_abc/input", "{\"session\":\"ls_abc\",\"status\":\"awaiting_user\"}");
    private final AuthTools tools = new AuthTools(daemon);

    @Test
    void inputIsAlwaysMarkedAsComingFromTheAgent() {
        tools.input("ls_abc", "c0de");
        assertThat(daemon.requests)
                .containsExactly("POST /v1/logins/ls_abc/input {\"input\":\"c0de\",\"from_agent\":true}");
    }

    @Test
    void aSessionIdCannotReachAnotherRoute() {
        for (String session : new String[] {
            "ls_abc/cancel?",
            "ls_abc/../../credentials/codex/confirm-account?",
            "ls_abc?x=",
            "ls_abc#",
            "../credentials/codex/confirm-account",
            "ls_abc%2fcancel",
            "ls_abc\n",
            "",
            null
        }) {
            assertThatThrownBy(() -> tools.input(session, "c0de")).as(session).isInstanceOf(ToolFailure.class);
        }
        assertThat(daemon.requests).isEmpty();
    }
}
