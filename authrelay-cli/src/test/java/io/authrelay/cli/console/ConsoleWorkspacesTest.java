package io.authrelay.cli.console;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Workspaces page in a real browser: create with grants, the token shown once, rotate, revoke. */
class ConsoleWorkspacesTest {
    @RegisterExtension
    static final TestBroker broker = TestBroker.process();

    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    private int vend(String token) {
        return broker.send("POST", "/v1/vend", "{\"provider\":\"forge\"}", token)
                .status();
    }

    @Test
    void aWorkspaceCreatedOnThePageGetsItsTokenOnceAndRevokingItEndsItsVends() throws IOException {
        broker.addStaticProvider("forge", "git.example.test", "forge-secret-value");
        browser.signIn(broker.url(), broker.adminToken());
        browser.click("#nav a[href='#/workspaces']");
        browser.awaitText("#view h1", "Workspaces");
        browser.find("#ws-name").sendKeys("agent-1");
        browser.find("#ws-grants").sendKeys("forge");
        browser.click("#create-title ~ form button[type=submit]");

        String token = browser.text("#workspace-token");
        assertThat(token).startsWith("arw_");
        assertThat(browser.text("#workspace-snippet"))
                .contains("AUTHRELAY_TOKEN=" + token)
                .contains("AUTHRELAY_URL=" + broker.url())
                .contains("authrelay setup-git")
                .contains("authrelay exec --provider forge")
                .contains("authrelay materialize");
        assertThat(vend(token)).isEqualTo(200);
        browser.awaitText("article[data-workspace=agent-1] .badge", "active");
        browser.screenshots("workspaces");

        // Shown once: hidden on request, and nowhere after a reload or in the list.
        browser.click("#issued button.secondary");
        assertThat(browser.all("#workspace-token")).isEmpty();
        browser.driver.navigate().refresh();
        browser.awaitText("article[data-workspace=agent-1] .badge", "active");
        assertThat(browser.driver.getPageSource()).doesNotContain(token);
        assertThat(expect(200, broker.send("GET", "/v1/workspaces", null)).body())
                .doesNotContain(token);

        browser.click("article[data-workspace=agent-1] button.secondary"); // Rotate
        String rotated = browser.await(d -> {
            String shown = browser.text("#workspace-token");
            return shown.equals(token) ? null : shown;
        });
        assertThat(vend(token)).isEqualTo(401);
        assertThat(vend(rotated)).isEqualTo(200);

        browser.click("article[data-workspace=agent-1] button.danger"); // Revoke
        browser.awaitText("article[data-workspace=agent-1] .badge", "revoked");
        assertThat(vend(rotated)).isEqualTo(401);
        assertThat(broker.send("POST", "/v1/vend", "{\"provider\":\"forge\"}", rotated)
                        .body())
                .contains("workspace_revoked");
    }
}
