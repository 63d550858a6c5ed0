package io.authrelay.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real CLI as a separate JVM built from the test's class path, with the launcher's flags. Only tests whose class
 * path holds the CLI (the authrelay-cli module's) can use it. No AUTHRELAY_ variable leaks in from the machine.
 */
public final class Cli {
    public static final String MAIN = "io.authrelay.cli.Main";

    private Cli() {}

    public static ProcessBuilder builder(Map<String, String> env, List<String> args) {
        return builder(null, env, args);
    }

    /** @param user the local user to run as, or null for the test's own */
    public static ProcessBuilder builder(LocalUser user, Map<String, String> env, List<String> args) {
        return java(user, MAIN, env, args);
    }

    /** Any main class of the test's class path in a JVM of its own, as {@code user} (null for the test's own). */
    public static ProcessBuilder java(LocalUser user, String mainClass, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", // no /tmp/hsperfdata_USER left behind by the other users' JVMs
                "-Djava.io.tmpdir=" + tmpDir(user, env),
                "-cp",
                user == null ? System.getProperty("java.class.path") : SharedClassPath.get(),
                mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(user == null ? command : user.wrap(command));
        builder.environment().keySet().removeIf(k -> k.startsWith("AUTHRELAY_"));
        builder.environment().putAll(env);
        return builder;
    }

    /**
     * Where the JVM extracts sqlite-jdbc's native library and the like: the test's own scratch directory, or for
     * another user the home the test gave it (removed with the test), so that nothing is left in /tmp.
     */
    private static String tmpDir(LocalUser user, Map<String, String> env) {
        if (user == null) return System.getProperty("java.io.tmpdir");
        return env.getOrDefault("HOME", "/tmp");
    }

    /** Runs to the end (at most 60 s) with {@code stdin} (may be null) and returns what it printed. */
    public static CliRun run(Map<String, String> env, String stdin, String... args) {
        return run(null, env, stdin, args);
    }

    /** As {@link #run(Map, String, String...)}, as {@code user} (null for the test's own). */
    public static CliRun run(LocalUser user, Map<String, String> env, String stdin, String... args) {
        try {
            Process process = builder(user, env, List.of(args)).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            var err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the CLI did not finish within 60 s: " + List.of(args));
            }
            return new CliRun(process.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
