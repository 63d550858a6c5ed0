package io.authrelay.server.pty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One CLI run, as plain data. {@code ${HOME}} in an environment value or an argument is replaced by the run's private
 * home, which the runner creates.
 *
 * @param command the executable, an absolute path
 * @param args its arguments; never a secret (argv is world-readable in /proc)
 * @param environment the child's variables besides PATH, LANG, LC_ALL, TERM and TZ taken from the daemon, and HOME
 * @param runsDir where run homes go when /dev/shm is not usable; also swept by {@link CliRunner#wipeLeftovers}
 * @param daemonHome the daemon's own directory (keyset, database, admin token), hidden from a sandboxed run; may be null
 * @param pty run in a pseudo-terminal rather than with pipes
 * @param columns the terminal's width: wide, so URLs are not wrapped
 * @param sandbox how the run is isolated
 * @param timeout after this the whole process tree is killed
 * @param answers prompts the runner answers itself
 * @param patterns what to capture from the output
 * @param exclusiveLock a machine-wide lock the run holds from start to end (e.g. a fixed port); null for none
 * @param lockDir where lock files live (shared by every daemon on the machine)
 * @param files written into the home before the start (relative path → content), 0600
 * @param reportBrowserUrls report the URLs the CLI hands to {@code $BROWSER}/{@code xdg-open}; off when the printed
 *     URL is a different one (Claude prints a paste-code URL but opens a loopback-callback URL)
 * @param completionFile a file (relative to the home) whose appearance means the login is done, for CLIs that carry
 *     on with something else after it (Gemini starts its full-screen app and never exits); null for none
 */
public record RunSpec(
        Path command,
        List<String> args,
        Map<String, String> environment,
        Path runsDir,
        Path daemonHome,
        boolean pty,
        int columns,
        SandboxMode sandbox,
        Duration timeout,
        List<PromptAnswer> answers,
        OutputPatterns patterns,
        String exclusiveLock,
        Path lockDir,
        Map<String, String> files,
        boolean reportBrowserUrls,
        String completionFile) {

    public static final int DEFAULT_COLUMNS = 500;
    public static final Path DEFAULT_LOCK_DIR = Path.of("/tmp/authrelay-locks");
    private static final Pattern LOCK_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public RunSpec {
        if (command == null || !command.isAbsolute()) throw new IllegalArgumentException("command must be absolute");
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        files = Map.copyOf(files);
        answers = List.copyOf(answers);
        if (patterns == null) patterns = OutputPatterns.NONE;
        if (runsDir == null || !runsDir.isAbsolute()) throw new IllegalArgumentException("runsDir must be absolute");
        if (columns < 20) throw new IllegalArgumentException("columns too small: " + columns);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout");
        if (exclusiveLock != null && !LOCK_NAME.matcher(exclusiveLock).matches()) {
            throw new IllegalArgumentException("lock names are lower-case letters, digits, dots and dashes");
        }
        for (String name : environment.keySet()) {
            if (!VARIABLE.matcher(name).matches()) throw new IllegalArgumentException("bad variable name: " + name);
        }
        for (String file : files.keySet()) RunDirectory.relativeInside(file);
        if (completionFile != null) RunDirectory.relativeInside(completionFile);
    }

    public static Builder builder(Path command, Path runsDir) {
        return new Builder(command, runsDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(command, runsDir);
        b.args.addAll(args);
        b.environment.putAll(environment);
        b.daemonHome = daemonHome;
        b.pty = pty;
        b.columns = columns;
        b.sandbox = sandbox;
        b.timeout = timeout;
        b.answers.addAll(answers);
        b.patterns = patterns;
        b.exclusiveLock = exclusiveLock;
        b.lockDir = lockDir;
        b.files.putAll(files);
        b.reportBrowserUrls = reportBrowserUrls;
        b.completionFile = completionFile;
        return b;
    }

    /** Defaults: pipes, 500 columns, sandbox {@code auto}, 15 minutes, browser URLs reported. */
    public static final class Builder {
        private final Path command;
        private final Path runsDir;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<PromptAnswer> answers = new ArrayList<>();
        private final Map<String, String> files = new LinkedHashMap<>();
        private Path daemonHome;
        private boolean pty;
        private int columns = DEFAULT_COLUMNS;
        private SandboxMode sandbox = SandboxMode.AUTO;
        private Duration timeout = Duration.ofMinutes(15);
        private OutputPatterns patterns = OutputPatterns.NONE;
        private String exclusiveLock;
        private Path lockDir = DEFAULT_LOCK_DIR;
        private boolean reportBrowserUrls = true;
        private String completionFile;

        private Builder(Path command, Path runsDir) {
            this.command = command;
            this.runsDir = runsDir;
        }

        public Builder args(List<String> value) {
            args.clear();
            args.addAll(value);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder environment(Map<String, String> value) {
            environment.putAll(value);
            return this;
        }

        public Builder daemonHome(Path value) {
            daemonHome = value;
            return this;
        }

        public Builder pty(boolean value) {
            pty = value;
            return this;
        }

        public Builder columns(int value) {
            columns = value;
            return this;
        }

        public Builder sandbox(SandboxMode value) {
            sandbox = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder answer(PromptAnswer value) {
            answers.add(value);
            return this;
        }

        public Builder patterns(OutputPatterns value) {
            patterns = value;
            return this;
        }

        public Builder exclusiveLock(String value) {
            exclusiveLock = value;
            return this;
        }

        public Builder lockDir(Path value) {
            lockDir = value;
            return this;
        }

        public Builder file(String relativePath, String content) {
            files.put(relativePath, content);
            return this;
        }

        public Builder reportBrowserUrls(boolean value) {
            reportBrowserUrls = value;
            return this;
        }

        public Builder completionFile(String relativePath) {
            completionFile = relativePath;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(
                    command,
                    args,
                    environment,
                    runsDir,
                    daemonHome,
                    pty,
                    columns,
                    sandbox,
                    timeout,
                    answers,
                    patterns,
                    exclusiveLock,
                    lockDir,
                    files,
                    reportBrowserUrls,
                    completionFile);
        }
    }
}
