package io.authrelay.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * The Connections page in a real browser against the provider simulator: a provider added through the form, a device
 * login followed live (code read off the page, approved at the simulator, the page turning connected without a
 * reload), a refused login explained, and a disconnect.
 */
class ConsoleConnectionsTest {
    @RegisterExtension
    static final TestBroker broker = TestBroker.process()
            .withSimulator(SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1));

    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    @Test
    void aDeviceLoginStartedFromThePageTurnsConnectedWithoutAReload() throws IOException {
        browser.signIn(broker.url(), broker.adminToken());
        browser.find("#add-name").sendKeys("gh");
        new Select(browser.find("#add-type")).selectByValue("github");
        browser.find("#add-host").sendKeys("gh.example.test");
        browser.find("#add-client").sendKeys("console-client");
        browser.find("#add-base").sendKeys(broker.sim().baseUrl());
        browser.click("#add-title ~ form button[type=submit]");
        browser.awaitText("article[data-provider=gh] .badge", "Not connected");
        browser.script("window.sameDocument = 'yes'"); // gone if anything reloads the page

        browser.click("button.connect[data-provider=gh]");
        String code = browser.text("#user-code");
        assertThat(code).isNotBlank();
        assertThat(browser.find("#login-link").getAttribute("href"))
                .startsWith(broker.sim().baseUrl());
        browser.awaitText("#login-countdown", "Time left");
        browser.screenshots("login-live");

        broker.sim().approve(code, "octocat");
        browser.awaitText("#login-ended", "Connected as octocat");
        browser.awaitText("article[data-provider=gh] .badge", "Connected");
        assertThat(browser.text("article[data-provider=gh]")).contains("octocat");
        assertThat(browser.script("return window.sameDocument")).isEqualTo("yes");
        browser.screenshots("connections");

        browser.click("button.connect[data-provider=gh]"); // Reconnect
        assertThat(browser.find("button.connect[data-provider=gh]").getText()).startsWith("Reconnect");
        String second = browser.await(d -> {
            String shown = browser.text("#user-code");
            return shown.equals(code) ? null : shown;
        });
        broker.sim().deny(second);
        browser.awaitText("#login-ended", "refused at the provider");

        browser.click("article[data-provider=gh] button.secondary"); // Disconnect
        browser.awaitText("article[data-provider=gh] .badge", "Not connected");
        assertThat(browser.script("return window.sameDocument")).isEqualTo("yes");
    }

    @Test
    void aStaticProviderAddedOnThePageGetsItsSecretThereAndTheAiCliTypesAreTheDaemonsOwn() {
        browser.signIn(broker.url(), broker.adminToken());
        for (String type : new String[] {"github", "oidc-device", "static", "codex", "claude-code", "gemini-cli"}) {
            new Select(browser.find("#add-type")).selectByValue(type); // each offered type is one the daemon knows
        }
        browser.find("#add-name").sendKeys("forge");
        new Select(browser.find("#add-type")).selectByValue("static");
        browser.find("#add-host").sendKeys("git.forge.test");
        browser.find("#add-username").sendKeys("bot");
        browser.click("#add-title ~ form button[type=submit]");
        browser.awaitText("article[data-provider=forge] .badge", "Not connected");
        assertThat(browser.all("button.connect[data-provider=forge]")).isEmpty(); // no login for a static secret

        String secret = "console-static-secret-7f3e";
        browser.find("#secret-forge").sendKeys(secret);
        browser.click("article[data-provider=forge] form button[type=submit]");
        browser.awaitText("article[data-provider=forge] .badge", "Connected");
        assertThat(browser.text("main")).doesNotContain(secret);
        String workspace = broker.createWorkspace("console-static", "forge");
        assertThat(broker.vend(workspace, "git.forge.test", "team/repo").body()).contains(secret);
    }
}
