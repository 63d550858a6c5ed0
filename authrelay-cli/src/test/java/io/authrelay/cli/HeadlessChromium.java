package io.authrelay.cli;

import java.nio.file.Path;
import java.util.List;

/** How the tests start Debian's Chromium: headless, in a fresh profile, and reaching nothing but loopback. */
public final class HeadlessChromium {
    private HeadlessChromium() {}

    public static List<String> flags(Path profile) {
        return List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                // Without both EXCLUDEs Chromium still looks up Google's hosts.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
    }
}
