package io.authrelay.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.FakeVendorCli;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An AI-CLI login from the console: the URL the CLI printed appears on the page, the code pasted into the page reaches
 * the run, and the page turns connected.
 */
class ConsoleCliLoginTest {
    @RegisterExtension
    static final TestBroker broker = TestBroker.process().withProvidersYaml(FakeVendorCli.driversYaml() + """
                    providers:
                      - name: vendor
                        type: fake-cli
                    """);

    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    @Test
    void theCapturedUrlAppearsAPastedCodeReachesTheRunAndThePageTurnsConnected() throws IOException {
        browser.signIn(broker.url(), broker.adminToken());
        browser.click("button.connect[data-provider=vendor]");
        browser.await(d -> FakeVendorCli.URL.equals(browser.find("#login-link").getAttribute("href")));
        browser.find("#login-answer");
        assertThat(browser.seriousAccessibilityProblems()).isEmpty();
        browser.screenshots("cli-login");

        browser.find("#login-answer").sendKeys("c0de#" + FakeVendorCli.STATE);
        browser.click("form.answer button[type=submit]");
        browser.awaitText("#login-ended", "Connected as " + FakeVendorCli.ACCOUNT);
        browser.awaitText("article[data-provider=vendor] .badge", "Connected");
        assertThat(broker.log()).doesNotContain("c0de#");
    }
}
