package io.authrelay.server.testing;

import io.authrelay.server.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real AI CLI from {@code tools/ai-clis} (npm, pinned), run the way a workspace runs it against the provider
 * simulator's fake vendor APIs: an environment built from scratch ({@code HOME}, {@code PATH}, {@code TMPDIR} and
 * what the test adds), the working directory {@code HOME/work}, stdin from /dev/null, plain pipes. A missing CLI skips
 * the test, and fails it under CI=true.
 *
 * <pre>{@code
 * CliRun run = RealAiCli.claude().run(home, Map.of("ANTHROPIC_BASE_URL", sim.baseUrl() + "/anthropic",
 *         "CLAUDE_CODE_OAUTH_TOKEN", token), "-p", "hi");
 * }</pre>
 */
public final class RealAiCli {
    /** Where the CLIs are: {@code -Dauthrelay.aiClis=DIR}, else the repository's tools/ai-clis/node_modules/.bin. */
    public static final String LOCATION_PROPERTY = "authrelay.aiClis";

    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");

    private final Path executable;
    private final Path node;

    private RealAiCli(String name) {
        this.node = ExternalTool.require("node");
        this.executable = ExternalTool.requireFile(
                binDirectory().resolve(name), "run npm ci --prefix tools/ai-clis (the pinned AI CLIs)");
    }

    /** One of the pinned CLIs by its launcher's name: codex, claude or gemini. */
    public static RealAiCli named(String name) {
        return new RealAiCli(name);
    }

    public static RealAiCli codex() {
        return new RealAiCli("codex");
    }

    public static RealAiCli claude() {
        return new RealAiCli("claude");
    }

    public static RealAiCli gemini() {
        return new RealAiCli("gemini");
    }

    /**
     * {@code codex exec} against a stand-in for OpenAI's API at {@code api} (the simulator's {@code /openai}): the model
     * calls and the ChatGPT calls both go there, never to chatgpt.com.
     */
    public static String[] codexExecAgainst(String api) {
        return new String[] {
            "exec",
            "--skip-git-repo-check",
            "-c",
            "model_provider=\"local\"",
            "-c",
            "model_providers.local={name=\"local\",base_url=\"" + api
                    + "/backend-api/codex\",requires_openai_auth=true}",
            "-c",
            "chatgpt_base_url=\"" + api + "/backend-api/\"",
            "hi"
        };
    }

    /** The CLI's own launcher, e.g. for a providers.yaml driver's {@code command}. */
    public Path executable() {
        return executable;
    }

    private static Path binDirectory() {
        String configured = System.getProperty(LOCATION_PROPERTY);
        if (configured != null) return Path.of(configured);
        // surefire runs in the module's directory; the tools live at the repository root
        return Path.of(System.getProperty("user.dir")).getParent().resolve("tools/ai-clis/node_modules/.bin");
    }

    /** Runs to the end (at most three minutes) and returns what it printed, ANSI escapes removed. */
    public CliRun run(Path home, Map<String, String> env, String... args) {
        try (Running running = start(home, env, args)) {
            return running.finish();
        }
    }

    /** Starts it; {@link Running#awaitOutput} waits for a line, {@link Running#finish} for the end. */
    public Running start(Path home, Map<String, String> env, String... args) {
        Path work = PrivateDirs.directory(home.resolve("work"));
        Path tmp = PrivateDirs.directory(home.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("HOME", home.toString());
        environment.put("TMPDIR", tmp.toString()); // the CLIs leave reports in the temporary directory
        environment.put("PATH", node.getParent() + ":/usr/bin:/bin");
        environment.putAll(env);
        try {
            return new Running(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started CLI; closing it kills what is still running. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outReader;
        private final Thread errReader;

        private Running(Process process) {
            this.process = process;
            this.outReader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), out));
            this.errReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
        }

        /**
         * Waits until stdout or stderr (ANSI escapes removed) matches {@code pattern}, and returns the match.
         *
         * @throws AssertionError if the CLI exits or three minutes pass first, with everything it printed
         */
        public Matcher awaitOutput(Pattern pattern) {
            Instant deadline = Instant.now().plus(RUN_LIMIT);
            while (Instant.now().isBefore(deadline)) {
                Matcher m = pattern.matcher(text(out) + "\n" + text(err));
                if (m.find()) return m;
                if (!process.isAlive()) break;
                sleep();
            }
            throw new AssertionError("no output matching " + pattern + "\n" + snapshot(exitOrMinusOne()));
        }

        /** Waits for the exit (at most three minutes, then kills it and fails). */
        public CliRun finish() {
            try {
                if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("still running after " + RUN_LIMIT + "\n" + snapshot(-1));
                }
                outReader.join();
                errReader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            return snapshot(process.exitValue());
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        private CliRun snapshot(int exit) {
            return new CliRun(exit, text(out), text(err));
        }

        private int exitOrMinusOne() {
            return process.isAlive() ? -1 : process.exitValue();
        }

        private static String text(ByteArrayOutputStream stream) {
            synchronized (stream) {
                return ANSI.matcher(stream.toString(StandardCharsets.UTF_8)).replaceAll("");
            }
        }

        private static void copy(InputStream in, ByteArrayOutputStream to) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (to) {
                        to.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended or was killed: what it printed so far is kept
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** {@code env} plus more pairs: {@code with(Map.of(...), "K", "V")}. */
    public static Map<String, String> with(Map<String, String> env, String... pairs) {
        Map<String, String> all = new HashMap<>(env);
        for (int i = 0; i + 1 < pairs.length; i += 2) all.put(pairs[i], pairs[i + 1]);
        return all;
    }
}
