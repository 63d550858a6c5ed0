package io.authrelay.cli;

import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerException;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.ErrorMessages;
import io.authrelay.client.WorkspaceClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "setup-git",
        description = "Point git at authrelay for the workspace's granted hosts (global git config). Idempotent.")
final class SetupGitCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(
            names = "--host",
            description = "Host to configure (default: every host the workspace is granted). Repeatable.")
    List<String> hosts;

    @Option(
            names = "--protocol",
            defaultValue = "https",
            description = "URL scheme of the hosts (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--unset", description = "Remove what setup-git wrote.")
    boolean unset;

    SetupGitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> targets = hosts != null && !hosts.isEmpty() ? hosts : grantedHosts();
        String helper = helperCommand();
        for (String host : targets) {
            String section = "credential." + protocol + "://" + host;
            git("--unset-all", section + ".helper");
            git("--unset-all", section + ".useHttpPath");
            if (unset) {
                context.out().println("removed authrelay from git for " + protocol + "://" + host);
                continue;
            }
            // An empty helper first resets helpers configured for this host elsewhere, so ours answers alone.
            require(git("--add", section + ".helper", ""), section);
            require(git("--add", section + ".helper", helper), section);
            require(git(section + ".useHttpPath", "true"), section);
            context.out().println("git uses authrelay for " + protocol + "://" + host);
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    private List<String> grantedHosts() {
        try {
            return WorkspaceClient.fromEnvironment(
                            context.env(), new PrintStream(System.err, true, StandardCharsets.UTF_8))
                    .workspace()
                    .hosts();
        } catch (BrokerConfigException | BrokerException e) {
            throw new CliFailure(
                    ExitCodes.AUTH,
                    ErrorMessages.withoutPrefix(e.getMessage()),
                    "pass --host HOST, or set AUTHRELAY_TOKEN to the workspace token");
        } catch (BrokerUnreachableException e) {
            throw new CliFailure(
                    ExitCodes.UNREACHABLE,
                    ErrorMessages.withoutPrefix(e.getMessage()),
                    "pass --host HOST to configure git without asking the broker");
        }
    }

    /** The helper script next to this launcher when there is one; else this CLI's own git-credential command. */
    private String helperCommand() {
        String root = context.env().get("AUTHRELAY_ROOT");
        if (root != null) {
            Path script = Path.of(root, "bin", "git-credential-authrelay");
            if (Files.isExecutable(script)) return "!" + script.toAbsolutePath();
        }
        return "!authrelay git-credential";
    }

    private int git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "config", "--global"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    private static void require(int exit, String section) {
        if (exit != 0)
            throw new CliFailure(
                    ExitCodes.FAILED,
                    "git config failed for " + section,
                    "is git installed, and is ~/.gitconfig writable?");
    }
}
