package io.authrelay.cli;

import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerException;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.ErrorMessages;
import io.authrelay.client.Materializer;
import io.authrelay.client.MiniJson;
import io.authrelay.client.WorkspaceClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import sun.misc.SignalHandler;

@Command(
        name = "materialize",
        description = "Write an AI CLI's credential files (access token only, never a refresh token) under a home"
                + " directory, as the CLI reads them (for example .claude/.credentials.json, .codex/auth.json).",
        footer = {
            "",
            "Uses the workspace token (AUTHRELAY_TOKEN, AUTHRELAY_URL or client.conf), like git's helper and exec."
                    + " Each file is replaced atomically and left 0600; missing directories are created 0700. Paths"
                    + " come from the broker and are refused, with nothing written, when they would leave DIR or when"
                    + " a symbolic link stands anywhere on the way inside DIR.",
            "",
            "With --watch the files are renewed at 80% of their remaining life (at least every --every seconds),"
                    + " trouble that heals by itself is retried, and SIGTERM ends it with exit code 0, the last good"
                    + " files kept. A refusal (needs_reauth, a revoked workspace, no grant) ends it with one line and"
                    + " a non-zero exit code.",
            "",
            "authrelay exec sets only the variables of a delivery; these files are what materialize is for."
        })
final class MaterializeCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider (an AI CLI's login) to deliver.")
    String provider;

    @Option(
            names = "--home",
            required = true,
            paramLabel = "DIR",
            description = "The directory the files go under (the CLI's HOME); created 0700 when missing.")
    Path home;

    @Option(names = "--watch", description = "Keep running and renew the files before they expire.")
    boolean watch;

    @Option(
            names = "--every",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "With --watch: renew at least this often (at least 5; default ${DEFAULT-VALUE}).")
    long everySeconds;

    @Option(
            names = "--json",
            description = "Print {\"provider\",\"files\":[paths],\"expires_at\"} on stdout for each delivery written.")
    boolean json;

    MaterializeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (everySeconds < Materializer.MIN_INTERVAL.toSeconds()) {
            throw new CliFailure(ExitCodes.USAGE, "--every must be at least 5 seconds", null);
        }
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        Materializer materializer;
        try {
            materializer = new Materializer(WorkspaceClient.fromEnvironment(context.env(), err), home);
        } catch (BrokerConfigException e) {
            throw new CliFailure(ExitCodes.USAGE, ErrorMessages.withoutPrefix(ErrorMessages.config(e)), null);
        }
        try {
            if (watch) {
                watch(materializer);
            } else {
                report(materializer.once(provider));
            }
            return ExitCodes.OK;
        } catch (BrokerUnreachableException e) {
            throw new CliFailure(ExitCodes.UNREACHABLE, ErrorMessages.withoutPrefix(e.getMessage()), null);
        } catch (BrokerException e) {
            int exit = e.error() == null
                    ? ExitCodes.FAILED
                    : ExitCodes.forHttpStatus(e.error().status());
            String code = e.error() == null ? null : e.error().code();
            throw new CliFailure(exit, ErrorMessages.withoutPrefix(e.getMessage()), null, code);
        } catch (IOException e) {
            // the path and what is wrong with it; a write that failed left the previous file in place
            throw new CliFailure(ExitCodes.FAILED, e.getMessage(), null);
        }
    }

    /** Until a permanent refusal (thrown) or SIGTERM/SIGINT (returns). */
    private void watch(Materializer materializer) throws BrokerException, IOException {
        SignalHandler stop = signal -> materializer.stop();
        SignalHandler previousTerm = Signal.handle(new Signal("TERM"), stop);
        SignalHandler previousInt = Signal.handle(new Signal("INT"), stop);
        try {
            materializer.watch(provider, Duration.ofSeconds(everySeconds), new Materializer.Listener() {
                @Override
                public void written(Materializer.Written written) {
                    report(written);
                }

                @Override
                public void retrying(String message, Duration wait) {
                    context.err()
                            .println(ErrorMessages.PREFIX + "materialize " + ErrorMessages.clean(provider) + ": "
                                    + ErrorMessages.withoutPrefix(message) + " (retrying in "
                                    + Math.max(1, wait.toSeconds()) + " s)");
                    context.err().flush();
                }
            });
        } finally {
            Signal.handle(new Signal("TERM"), previousTerm);
            Signal.handle(new Signal("INT"), previousInt);
        }
    }

    /** Paths only, never content: a line on stderr, or with --json an object on stdout. */
    private void report(Materializer.Written written) {
        List<String> paths = written.files().stream().map(Path::toString).toList();
        String expiresAt = written.delivery().expiresAt() == null
                ? null
                : written.delivery().expiresAt().toString();
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("provider", written.delivery().provider());
            line.put("files", paths);
            line.put("expires_at", expiresAt);
            context.out().println(MiniJson.write(line));
            context.out().flush();
            return;
        }
        context.err()
                .println(ErrorMessages.PREFIX + "materialize " + ErrorMessages.clean(provider) + ": "
                        + (paths.isEmpty() ? "no files to write" : "wrote " + String.join(", ", paths))
                        + (expiresAt == null ? "" : " (expires " + expiresAt + ")"));
        context.err().flush();
    }
}
