package io.authrelay.server.clilogin;

import io.authrelay.core.clilogin.CapturedCredential;
import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CliRunEvents;
import io.authrelay.core.clilogin.CliRunPort;
import io.authrelay.core.clilogin.CredentialCapture;
import io.authrelay.core.clilogin.FileTemplate;
import io.authrelay.core.clilogin.LoginMode;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.vault.Secret;
import io.authrelay.server.pty.CallbackReplay;
import io.authrelay.server.pty.CliRunner;
import io.authrelay.server.pty.OutputPatterns;
import io.authrelay.server.pty.PromptAnswer;
import io.authrelay.server.pty.RunEnd;
import io.authrelay.server.pty.RunHandle;
import io.authrelay.server.pty.RunListener;
import io.authrelay.server.pty.RunSpec;
import io.authrelay.server.pty.SandboxMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AI-CLI login runs on this daemon, as processes started by {@link CliRunner} from a driver's mode. What the CLI
 * prints is matched, shown to the user through the session, and kept only as a redacted tail for diagnose; relayed
 * input is typed into the CLI, and a browser's final URL is checked against the login's state before it is replayed.
 */
public final class PtyCliRuns implements CliRunPort {
    private static final Logger log = LoggerFactory.getLogger(PtyCliRuns.class);
    private static final int TRANSCRIPT_LINES = 40;
    private static final Duration HANDLE_WAIT = Duration.ofSeconds(10);

    private final CliRunner runner;
    private final Path runsDir;
    private final Path daemonHome;
    private final SandboxMode sandbox;
    private final Clock clock;
    private final CallbackReplay callbacks = new CallbackReplay();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    public PtyCliRuns(CliRunner runner, Path runsDir, Path daemonHome, SandboxMode sandbox, Clock clock) {
        this.runner = runner;
        this.runsDir = runsDir;
        this.daemonHome = daemonHome;
        this.sandbox = sandbox;
        this.clock = clock;
    }

    /** One run in progress: its handle, what it expects, the URL it printed, and its redacted tail. */
    private static final class Run {
        final String sessionId;
        final LoginMode mode;
        final Instant started;
        final Deque<String> transcript = new ArrayDeque<>();
        /** Set once {@code start} returns; the run's own thread may report before that and waits for it. */
        final CompletableFuture<RunHandle> handle = new CompletableFuture<>();

        volatile String url;

        Run(String sessionId, LoginMode mode, Instant started) {
            this.sessionId = sessionId;
            this.mode = mode;
            this.started = started;
        }

        synchronized void remember(String line) {
            if (transcript.size() == TRANSCRIPT_LINES) transcript.removeFirst();
            transcript.addLast(SecretRedactor.redact(line));
        }

        synchronized String tail() {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void start(CliRunRequest request, Secret apiKey, CliRunEvents events) {
        Run run = new Run(request.sessionId(), request.mode(), clock.instant());
        runs.put(request.sessionId(), run);
        try {
            RunSpec spec = spec(request.driver(), request.mode());
            if (apiKey != null) SecretRedactor.register(apiKey.value());
            RunHandle handle = runner.start(spec, listener(run, request.driver(), apiKey, events));
            run.handle.complete(handle);
            handle.notSandboxedReason().ifPresent(reason -> events.unsandboxed(request.sessionId(), reason));
        } catch (IOException | RuntimeException e) {
            run.handle.completeExceptionally(e);
            runs.remove(request.sessionId());
            log.warn("could not start the {} login: {}", request.driver().type(), e.getMessage());
            events.failed(
                    request.sessionId(), "could not start " + request.driver().command() + ": " + e.getMessage());
            events.ended(request.sessionId());
        }
    }

    private RunListener listener(Run run, CliDriver driver, Secret apiKey, CliRunEvents events) {
        String id = run.sessionId;
        return new RunListener() {
            @Override
            public void started() {
                // The key goes to stdin, never argv; the CLI may wait for a lock first, so only once it runs.
                if (apiKey != null) handleOf(run).writeSecretAndClose(apiKey.value());
            }

            @Override
            public void queued(int position) {
                events.queued(id, position);
            }

            @Override
            public void urlCaptured(String url) {
                run.url = url;
                events.captured(id, null, url);
            }

            @Override
            public void codeCaptured(String code) {
                events.captured(id, code, null);
            }

            @Override
            public void output(String strippedLine) {
                run.remember(strippedLine);
            }

            @Override
            public void ended(RunEnd end) {
                try {
                    finish(run, driver, end, events);
                } finally {
                    runs.remove(id);
                    events.ended(id);
                }
            }
        };
    }

    /** Runs while the home still exists: the credential file is read here, before the runner wipes the home. */
    private void finish(Run run, CliDriver driver, RunEnd end, CliRunEvents events) {
        String id = run.sessionId;
        events.transcript(id, run.tail());
        if (end.cancelled()) return;
        if (end.timedOut()) {
            events.failed(id, "the CLI did not finish within " + run.mode.timeout());
            return;
        }
        if (!end.successSeen() || end.failureSeen()) {
            events.failed(
                    id,
                    end.lastLine() == null
                            ? "the CLI exited with status " + end.exitCode() + " and printed nothing"
                            : SecretRedactor.redact(failureOf(run.mode, end.lastLine())));
            return;
        }
        String kind = CliDriver.credentialKind(run.mode);
        CredentialCapture capture = driver.capture().get(kind);
        try {
            CapturedCredential captured = CredentialFiles.read(handleOf(run).home(), capture, kind, run.started);
            events.succeeded(id, captured);
        } catch (CredentialFiles.Unusable e) {
            events.failed(id, e.getMessage());
        }
    }

    /** The run's handle: {@code start} returns it, but a fast CLI may report before that. */
    private static RunHandle handleOf(Run run) {
        try {
            return run.handle.get(HANDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the run started", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the run did not start", e);
        }
    }

    /** The part of the CLI's line its failure pattern matched (the line may begin with an earlier prompt). */
    private static String failureOf(LoginMode mode, String line) {
        String failure = mode.patterns() == null ? null : mode.patterns().failure();
        if (failure == null) return line;
        Matcher matcher = Pattern.compile(failure).matcher(line);
        return matcher.find() ? matcher.group() : line;
    }

    @Override
    public InputResult input(String sessionId, Secret input) {
        Run run = runs.get(sessionId);
        if (run == null || !run.handle.isDone()) return new InputResult.NoRun();
        if (LoginMode.INPUT_CALLBACK_URL.equals(run.mode.input())) {
            if (run.url == null) return new InputResult.Refused("the CLI has not printed its URL yet");
            try {
                return switch (callbacks.replay(run.url, input.value())) {
                    case CallbackReplay.Refused refused -> new InputResult.Refused(refused.reason());
                    case CallbackReplay.Replayed replayed -> new InputResult.Sent();
                };
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new InputResult.Refused("interrupted");
            }
        }
        if (!LoginMode.INPUT_PASTE.equals(run.mode.input())) {
            return new InputResult.Refused("this login takes no input: it is a " + run.mode.input() + " login");
        }
        SecretRedactor.register(input.value()); // the CLI echoes what it is typed
        handleOf(run).input(input.value());
        return new InputResult.Sent();
    }

    @Override
    public boolean cancel(String sessionId) {
        Run run = runs.get(sessionId);
        if (run == null || !run.handle.isDone()) return false;
        handleOf(run).cancel();
        return true;
    }

    /** What isolates the runs of this daemon, as doctor shows it. */
    public String sandbox() {
        return sandbox == SandboxMode.NONE ? "off (--sandbox none)" : runner.sandboxDescription();
    }

    @Override
    public boolean isRunning(String sessionId) {
        return runs.containsKey(sessionId);
    }

    private RunSpec spec(CliDriver driver, LoginMode mode) {
        return specFor(driver, mode, executable(driver.command()), runsDir)
                .daemonHome(daemonHome)
                .sandbox(sandbox)
                .build();
    }

    /** A run of one driver mode as its driver describes it: args, terminal, environment, files, answers, patterns. */
    public static RunSpec.Builder specFor(CliDriver driver, LoginMode mode, Path command, Path runsDir) {
        RunSpec.Builder spec = RunSpec.builder(command, runsDir)
                .args(mode.args())
                .pty(mode.pty())
                .timeout(mode.timeout() == null ? Duration.ofMinutes(15) : mode.timeout())
                .exclusiveLock(mode.exclusive())
                .reportBrowserUrls(mode.browserUrls())
                .completionFile(mode.completionFile());
        Map<String, String> environment = new HashMap<>(driver.environment());
        environment.putAll(mode.environment());
        spec.environment(environment);
        for (FileTemplate file : driver.prepare()) spec.file(file.path(), file.content());
        for (LoginMode.PromptAnswer answer : mode.answers())
            spec.answer(PromptAnswer.of(answer.expect(), answer.send()));
        LoginMode.OutputPatterns p = mode.patterns();
        if (p != null)
            spec.patterns(OutputPatterns.compile(p.url(), p.code(), p.inputPrompt(), p.success(), p.failure()));
        return spec;
    }

    /** The driver's command: absolute as given, else the first executable of that name on the daemon's PATH. */
    static Path executable(String command) {
        Path given = Path.of(command);
        if (given.isAbsolute()) return given;
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir).resolve(command);
            if (Files.isExecutable(candidate)) return candidate.toAbsolutePath();
        }
        throw new IllegalStateException(command + " is not on the daemon's PATH; set its path in providers.yaml"
                + " (drivers: TYPE: command: /path/to/" + command + ")");
    }
}
