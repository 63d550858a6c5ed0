package io.authrelay.cli.console;

import io.authrelay.cli.HeadlessChromium;
import io.authrelay.server.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven by Selenium, for one test class (a static {@code @RegisterExtension}): the flags
 * keep it off the network (loopback only) and out of the user's profile. Missing chromium or chromedriver skips the test here and fails it under CI.
 */
final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback {
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    private static final Path AXE =
            Path.of(System.getProperty("user.dir")).getParent().resolve("tools/axe/node_modules/axe-core/axe.min.js");
    private static final String RUN_AXE = """
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] }).then((result) => done(JSON.stringify(result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))));
            """;

    ChromeDriver driver;
    private Path profile;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path chromium = ExternalTool.require("chromium");
        Path chromedriver = ExternalTool.require("chromedriver");
        profile = Files.createTempDirectory("console-browser");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(HeadlessChromium.flags(profile));
        options.addArguments("--window-size=" + DESKTOP.width + "," + DESKTOP.height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    /** A fresh tab state (no session) at the console, signed in with this token, on the Connections page. */
    void signIn(String consoleUrl, String adminToken) {
        get(consoleUrl + "/");
        script("sessionStorage.clear()");
        driver.manage().deleteAllCookies();
        get(consoleUrl + "/");
        var input = find("#admin-token");
        input.sendKeys(adminToken);
        click("#signin-form button[type=submit]");
        awaitText("#view h1", "Connections");
    }

    void get(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return await(d -> d.findElement(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Clicks the element, looking it up again if the page redrew it in between. */
    void click(String css) {
        await(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    String text(String css) {
        return await(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** Waits up to 30 s for a condition (an exception or null/false means: not yet). */
    <T> T await(Function<WebDriver, T> condition) {
        try {
            // The pages redraw lists when data arrives: an element found a moment ago may be gone; look again.
            return new WebDriverWait(driver, Duration.ofSeconds(30))
                    .ignoring(StaleElementReferenceException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "the page did not get there; it shows:\n"
                            + driver.findElement(By.tagName("body")).getText() + "\nbrowser console:\n" + consoleLog(),
                    e);
        }
    }

    void awaitText(String css, String expected) {
        await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).getText().contains(expected);
        });
    }

    /** What the page logged, CSP violations included. */
    String consoleLog() {
        StringBuilder log = new StringBuilder();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER))
            log.append(entry).append('\n');
        return log.toString();
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /**
     * axe-core's serious and critical findings on the page as it is now, one line each. Injected through WebDriver, which
     * the page's Content-Security-Policy does not govern; the page itself loads nothing but its own files.
     */
    List<String> seriousAccessibilityProblems() throws IOException {
        if (!Files.isRegularFile(AXE))
            ExternalTool.missing(AXE + " is missing: run npm ci --prefix tools/axe (as .ci/run does)");
        script(Files.readString(AXE));
        String found = (String) driver.executeAsyncScript(RUN_AXE);
        return List.of(io.authrelay.server.http.Json.MAPPER.readValue(found, String[].class));
    }

    /** A PNG of the page at desktop and phone widths, under target/console-screenshots for review. */
    void screenshots(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "console-screenshots"));
        for (var size : List.of(DESKTOP, PHONE)) {
            driver.manage().window().setSize(size);
            script("window.scrollTo(0, 0)");
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            String width = size == DESKTOP ? "desktop" : "phone";
            Files.move(shot, dir.resolve(name + "-" + width + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
        driver.manage().window().setSize(DESKTOP);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (driver != null) driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
