package io.authrelay.server.pty;

import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run from lock to wipe, driven by its own supervisor thread: wait for the machine lock (if any), start the CLI
 * (PTY or pipes, sandboxed or not), read its output, watch the browser recorders, enforce the timeout, and at the end
 * kill whatever the CLI left running, release the lock, report {@link RunEnd} and wipe the directory.
 */
final class CliRun implements RunHandle {
    private static final Logger log = LoggerFactory.getLogger(CliRun.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final Duration TICK = Duration.ofMillis(50);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Duration READER_DRAIN = Duration.ofSeconds(2);
    /** After the completion file appears: time for the CLI to finish the files it writes next to it. */
    private static final Duration COMPLETION_SETTLE = Duration.ofMillis(500);

    private static final List<String> INHERITED = List.of("PATH", "LANG", "LC_ALL", "TERM", "TZ");
    private static final int ROWS = 50;
    private static final long MAX_BROWSER_URLS = 1024 * 1024;

    private final long id = IDS.incrementAndGet();
    private final RunSpec spec;
    private final RunListener listener;
    private final RunDirectory dir;
    private final Sandbox.Launch launch;
    private final OutputWatcher watcher;
    private final CompletableFuture<RunEnd> end = new CompletableFuture<>();
    private final Object stdinLock = new Object();
    private volatile boolean cancelled;
    private volatile Process process;
    private volatile long processStarted;
    /** Taken right at the start: pty4j's processes do not implement {@link Process#toHandle()}. */
    private volatile ProcessHandle handle;

    private boolean stdinClosed;
    private long browserUrlsRead;

    CliRun(RunSpec spec, RunListener listener, RunDirectory dir, Sandbox.Launch launch) {
        this.spec = spec;
        this.listener = listener;
        this.dir = dir;
        this.launch = launch;
        this.watcher = new OutputWatcher(spec.patterns(), spec.answers(), listener, this::type);
    }

    void start() {
        Thread supervisor = new Thread(this::supervise, "cli-run-" + id);
        supervisor.setDaemon(true);
        supervisor.start();
    }

    private void supervise() {
        FileLock lock = null;
        boolean timedOut = false;
        boolean completed = false;
        int exitCode = -1;
        try {
            if (spec.exclusiveLock() != null) {
                lock = MachineLock.acquire(spec.lockDir(), spec.exclusiveLock(), listener::queued, () -> cancelled);
                if (lock == null) {
                    finish(new RunEnd(-1, false, null, false, false, true), null);
                    return;
                }
                listener.lockAcquired();
            }
            if (!cancelled) {
                Process p = launch();
                List<Thread> readers = startReaders(p);
                listener.started();
                long deadline = System.nanoTime() + spec.timeout().toNanos();
                long completedAt = 0;
                while (!p.waitFor(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                    readBrowserUrls();
                    if (cancelled) break;
                    if (System.nanoTime() > deadline) {
                        timedOut = true;
                        break;
                    }
                    if (completedAt == 0 && completionFileWritten()) completedAt = System.nanoTime();
                    if (completedAt != 0 && System.nanoTime() - completedAt > COMPLETION_SETTLE.toNanos()) {
                        completed = true;
                        break;
                    }
                }
                treeOf(p).kill(KILL_GRACE);
                for (Thread reader : readers) reader.join(READER_DRAIN.toMillis());
                closeQuietly(p);
                readBrowserUrls();
                exitCode = p.exitValue();
            }
            finish(
                    new RunEnd(
                            exitCode,
                            watcher.successSeen() || completed,
                            watcher.lastLine(),
                            watcher.failureSeen(),
                            timedOut,
                            cancelled && !timedOut),
                    lock);
        } catch (IOException | RuntimeException | Error e) {
            log.warn("CLI run {} failed: {}", id, e.toString());
            killAll();
            finish(new RunEnd(exitCode, false, "the run failed: " + e.getMessage(), true, false, cancelled), lock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll();
            finish(new RunEnd(exitCode, false, null, false, false, true), lock);
        }
    }

    private ProcessTree treeOf(Process p) {
        return ProcessTree.of(p.pid(), handle, dir.root());
    }

    private boolean completionFileWritten() {
        if (spec.completionFile() == null) return false;
        try {
            return Files.size(dir.home().resolve(spec.completionFile())) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void killAll() {
        Process p = process;
        if (p != null) treeOf(p).kill(KILL_GRACE);
    }

    /** Releases the lock, tells the listener (the home still exists), then wipes the directory. */
    private void finish(RunEnd result, FileLock lock) {
        MachineLock.release(lock);
        try {
            listener.ended(result);
        } catch (RuntimeException e) {
            log.warn("CLI run {}: the end listener failed: {}", id, e.toString());
        } finally {
            try {
                dir.wipe();
            } catch (UncheckedIOException e) {
                log.warn("CLI run {}: {}", id, e.getMessage());
            }
            log.info(
                    "CLI run {} ended: exit {}, success {}, timed out {}, cancelled {}",
                    id,
                    result.exitCode(),
                    result.successSeen(),
                    result.timedOut(),
                    result.cancelled());
            end.complete(result);
        }
    }

    private Process launch() throws IOException {
        List<String> argv = new ArrayList<>(launch.prefix());
        argv.add(spec.command().toString());
        for (String arg : spec.args()) argv.add(withHome(arg));
        Map<String, String> env = environment();
        Process p;
        if (spec.pty()) {
            p = new PtyProcessBuilder(argv.toArray(String[]::new))
                    .setEnvironment(env)
                    .setDirectory(dir.home().toString())
                    .setInitialColumns(spec.columns())
                    .setInitialRows(ROWS)
                    .setRedirectErrorStream(true)
                    .setConsole(false)
                    .start();
        } else {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.home().toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            p = pb.start();
        }
        processStarted = System.nanoTime();
        handle = ProcessHandle.of(p.pid()).orElse(null);
        process = p;
        log.info(
                "CLI run {} started: {} (pid {}, {}, {})",
                id,
                spec.command().getFileName(),
                p.pid(),
                spec.pty() ? "pty" : "pipes",
                launch.sandboxed() ? "sandboxed" : "not sandboxed: " + launch.reasonNot());
        return p;
    }

    /**
     * Built from nothing: a few variables from the daemon (PATH with the recorders first), HOME, the browser
     * recorder, then the spec's own; {@code ${HOME}} in a value is the run's home.
     */
    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : INHERITED) {
            String value = System.getenv(name);
            if (value != null) env.put(name, value);
        }
        env.put("PATH", dir.bin() + ":" + env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        if (spec.pty()) env.put("TERM", "xterm-256color");
        env.put("HOME", dir.home().toString());
        env.put("BROWSER", dir.browserRecorder().toString());
        spec.environment().forEach((name, value) -> env.put(name, withHome(value)));
        return env;
    }

    private String withHome(String value) {
        return value.replace("${HOME}", dir.home().toString());
    }

    private List<Thread> startReaders(Process p) {
        List<Thread> readers = new ArrayList<>();
        TerminalReplies replies = spec.pty() ? new TerminalReplies(ROWS, spec.columns()) : null;
        readers.add(startReader(p.getInputStream(), "out", replies));
        if (!spec.pty()) readers.add(startReader(p.getErrorStream(), "err", null));
        return readers;
    }

    private Thread startReader(InputStream stream, String name, TerminalReplies replies) {
        Thread reader = new Thread(() -> read(stream, replies), "cli-run-" + id + "-" + name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void read(InputStream stream, TerminalReplies replies) {
        TerminalDecoder decoder = new TerminalDecoder();
        char[] buffer = new char[8192];
        try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long arrived = System.nanoTime();
                List<String> lines = decoder.feed(java.nio.CharBuffer.wrap(buffer, 0, n));
                if (replies != null) {
                    for (String query : decoder.takeQueries()) {
                        String reply = replies.replyTo(query);
                        if (reply != null) write(reply);
                    }
                }
                for (String line : lines) watcher.line(line, arrived);
                watcher.openLine(decoder.partialLine());
            }
        } catch (IOException e) {
            // the PTY reports EIO once the last process holding it is gone: the normal end
        }
        for (String line : decoder.finish()) watcher.line(line, System.nanoTime());
    }

    private void readBrowserUrls() {
        try {
            long size = Files.size(dir.browserUrls());
            // a recorder appends one URL per call; more than this is not a browser being opened
            if (size <= browserUrlsRead || size > MAX_BROWSER_URLS) return;
            String text = Files.readString(dir.browserUrls(), StandardCharsets.UTF_8);
            int complete = text.lastIndexOf('\n') + 1;
            String fresh = text.substring((int) Math.min(browserUrlsRead, complete), complete);
            browserUrlsRead = complete;
            if (!spec.reportBrowserUrls()) return;
            for (String url : fresh.split("\n")) {
                if (!url.isBlank()) watcher.recordedUrl(url.strip(), System.nanoTime());
            }
        } catch (IOException e) {
            // the recorder file is ours; it vanishes only with the wipe
        }
    }

    /** The runner's own answers and replies: typed as they are. */
    private void type(String text) {
        write(text);
    }

    private void write(String text) {
        synchronized (stdinLock) {
            Process p = process;
            if (p == null || stdinClosed) return;
            try {
                OutputStream in = p.getOutputStream();
                in.write(text.getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                // the CLI stopped reading: it is ending, and its end is reported
            }
        }
    }

    @Override
    public void input(String line) {
        requireStarted();
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) throw new IllegalArgumentException("one line only");
        watcher.mask(line);
        write(line + (spec.pty() ? "\r" : "\n"));
    }

    @Override
    public void writeSecretAndClose(String secret) {
        if (spec.pty()) throw new IllegalStateException("a PTY echoes what is typed: secrets go through pipes");
        requireStarted();
        watcher.mask(secret);
        synchronized (stdinLock) {
            write(secret);
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already closed by the CLI's end
            }
            stdinClosed = true;
        }
    }

    private void requireStarted() {
        if (process == null) throw new IllegalStateException("the run has not started (queued, or ended)");
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public Path home() {
        return dir.home();
    }

    @Override
    public boolean sandboxed() {
        return launch.sandboxed();
    }

    @Override
    public Optional<String> notSandboxedReason() {
        return Optional.ofNullable(launch.reasonNot());
    }

    @Override
    public Optional<RunEnd> awaitEnd(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(end.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public RunTimings timings() {
        return new RunTimings(processStarted, watcher.urlChunkAt(), watcher.urlCapturedAt());
    }

    private static void closeQuietly(Process p) {
        for (AutoCloseable stream : List.of(p.getOutputStream(), p.getInputStream(), p.getErrorStream())) {
            try {
                stream.close();
            } catch (Exception e) {
                // nothing left to read or write
            }
        }
    }
}
