package io.authrelay.cli.console;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The Audit and Health pages, and every main screen checked by axe-core (no serious or critical finding), operated from
 * the keyboard, and saved as PNGs at desktop and phone widths under target/console-screenshots.
 */
class ConsolePagesTest {
    @RegisterExtension
    static final TestBroker broker = TestBroker.process()
            .withSimulator(SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1));

    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    private static String alpha;
    private static String beta;

    @BeforeAll
    static void setUp() throws IOException {
        broker.addStaticProvider("forge", "git.example.test", "forge-secret-value");
        expect(
                201,
                broker.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"gh\",\"type\":\"github\",\"client_id\":\"cid\",\"base_url\":\""
                                + broker.sim().baseUrl() + "\",\"host\":\"gh.example.test\"}"));
        alpha = broker.createWorkspace("alpha", "forge");
        beta = broker.createWorkspace("beta", "forge");
        for (int i = 0; i < 3; i++) vend(alpha);
        for (int i = 0; i < 55; i++) vend(beta);
    }

    private static void vend(String token) {
        expect(200, broker.send("POST", "/v1/vend", "{\"provider\":\"forge\"}", token));
    }

    /** Read in one script call, so a table redrawn meanwhile cannot leave a stale element behind. */
    @SuppressWarnings("unchecked")
    private List<String> column(int index) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll(arguments[0])].map((cell) => cell.textContent)",
                "#audit-table tbody tr td:nth-child(" + index + ")");
    }

    private void filterAudit(String workspace, String provider, String action) {
        for (String[] f : List.of(
                new String[] {"#audit-workspace", workspace},
                new String[] {"#audit-provider", provider},
                new String[] {"#audit-action", action})) {
            WebElement input = browser.find(f[0]);
            input.clear();
            input.sendKeys(f[1]);
        }
        String before = browser.text("#audit-table");
        browser.click(".filters button[type=submit]");
        browser.await(d -> !browser.text("#audit-table").equals(before));
    }

    @Test
    void theAuditPageFiltersByWorkspaceProviderAndActionAndPagesBack() {
        browser.signIn(broker.url(), broker.adminToken());
        browser.click("#nav a[href='#/audit']");
        browser.awaitText("#audit-table caption", "newest first");

        filterAudit("alpha", "", "");
        assertThat(column(2)).hasSize(4).allMatch(actor -> actor.equals("workspace:alpha") || actor.equals("admin"));
        assertThat(column(3)).containsExactly("vend", "vend", "vend", "workspace.create");

        filterAudit("beta", "forge", "vend");
        assertThat(column(3)).hasSize(50).containsOnly("vend");
        assertThat(column(2)).containsOnly("workspace:beta");
        browser.click("#audit-older");
        browser.await(d -> column(3).size() == 5);
        browser.click("#audit-newer");
        browser.await(d -> column(3).size() == 50);

        filterAudit("", "", "console");
        assertThat(column(3)).contains("console.signin");
    }

    @Test
    void theHealthPageShowsVersionReadinessHeartbeatAndTheLastHoursVends() {
        browser.signIn(broker.url(), broker.adminToken());
        browser.click("#nav a[href='#/health']");
        browser.awaitText("#health-facts", "Version");
        assertThat(browser.text("#health-facts"))
                .contains("Ready")
                .contains("yes: store and vault answer")
                .contains("Scheduler heartbeat")
                .contains("s ago")
                .contains("sqlite")
                .contains("(this one)");
        assertThat(browser.all("#health-chart svg rect.vends")).hasSize(60);
        assertThat(browser.text("#health-chart figcaption")).contains("vends: 58");
    }

    @Test
    void everyMainScreenPassesAxeAndIsSavedAtDesktopAndPhoneWidths() throws IOException {
        browser.signIn(broker.url(), broker.adminToken());
        browser.click("#signout");
        browser.find("#signin-form");
        check("sign-in");

        browser.signIn(broker.url(), broker.adminToken());
        browser.click("button.connect[data-provider=gh]");
        browser.find("#user-code");
        check("connections-live-login");

        browser.click("#nav a[href='#/workspaces']");
        browser.find("#ws-name").sendKeys("gamma");
        browser.find("#ws-grants").sendKeys("forge");
        browser.click("#create-title ~ form button[type=submit]");
        browser.find("#workspace-token");
        check("workspaces-token-shown");

        browser.click("#nav a[href='#/audit']");
        browser.awaitText("#audit-table caption", "newest first");
        check("audit");

        browser.click("#nav a[href='#/health']");
        browser.find("#health-chart svg");
        check("health");
    }

    private void check(String screen) throws IOException {
        assertThat(browser.seriousAccessibilityProblems()).as(screen).isEmpty();
        browser.screenshots(screen);
        browser.driver.manage().window().setSize(ConsoleBrowser.PHONE);
        assertThat(browser.seriousAccessibilityProblems())
                .as(screen + " at phone width")
                .isEmpty();
        browser.driver.manage().window().setSize(ConsoleBrowser.DESKTOP);
    }

    @Test
    void theConsoleIsOperatedFromTheKeyboardWithAVisibleFocus() {
        browser.signIn(broker.url(), broker.adminToken());
        browser.click("#signout");
        browser.find("#admin-token").sendKeys(broker.adminToken(), Keys.ENTER);
        browser.awaitText("#view h1", "Connections");

        // The page focuses its main region after sign-in; the navigation is just before it.
        Actions keys = new Actions(browser.driver);
        String focused = "";
        for (int i = 0; i < 6 && !focused.equals("Workspaces"); i++) {
            keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            focused = (String) browser.script("return document.activeElement.textContent");
        }
        assertThat(focused).isEqualTo("Workspaces");
        assertThat(browser.script("return getComputedStyle(document.activeElement).outlineStyle"))
                .isEqualTo("solid");
        keys.sendKeys(Keys.ENTER).perform();
        browser.awaitText("#view h1", "Workspaces");
    }
}
