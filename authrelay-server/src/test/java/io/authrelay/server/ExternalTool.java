package io.authrelay.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Tests that need a program from the OS skip without it on a developer's machine, and fail under CI=true, where .ci/run installs it. */
public final class ExternalTool {
    private ExternalTool() {}

    public static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        missing("'" + name + "' is not installed; install it (see .ci/run) to run this test");
        return null;
    }

    /** For tools installed into the repo rather than on PATH (the MCP Inspector under tools/). */
    public static Path requireFile(Path executable, String howToInstall) {
        if (!Files.isExecutable(executable)) missing(executable + " is missing: " + howToInstall);
        return executable;
    }

    /** Skips the test on a user's machine, fails it under CI=true, where .ci/run provides what is missing. */
    public static void missing(String message) {
        if ("true".equals(System.getenv("CI"))) throw new AssertionError(message);
        reportSkipped(message);
        Assumptions.abort(message);
    }

    /**
     * Something a test could not run here, for the person: surefire keeps a skipped test's reason in its XML only,
     * and bin/test prints this file at the end.
     */
    public static void reportSkipped(String message) {
        String report = System.getProperty("authrelay.skipReport");
        if (report == null) return;
        try {
            Files.writeString(
                    Path.of(report),
                    message + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // the skip itself is still reported by surefire
        }
    }
}
