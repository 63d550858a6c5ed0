package io.authrelay.cli;

import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerEndpoint;
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

    @Option(
            names = "--relay",
            description = "Send git through the broker's credential relay instead: rewrite https://HOST/ to"
                    + " AUTHRELAY_URL/relay/git/HOST/, give git the workspace token for the broker's URL only, and trust"
                    + " AUTHRELAY_CA_FILE for it. No provider token reaches this machine.")
    boolean relay;

    @Option(
            names = "--sh-helper",
            paramLabel = "FILE",
            description = "Have git run this POSIX sh helper (GET /v1/helper.sh) rather than the Java one: for"
                    + " workspaces without a JVM.")
    Path shHelper;

    SetupGitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> targets = hosts != null && !hosts.isEmpty() ? hosts : grantedHosts();
        String helper = helperCommand();
        if (relay) return relay(targets, helper);
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

    /**
     * The relay's settings: one URL rewrite per host, and for the broker's URL our helper in {@code --relay} mode and
     * the CA file. The token itself stays with the helper, out of every git config file.
     */
    private int relay(List<String> targets, String helper) throws IOException, InterruptedException {
        String base = relayBase();
        String credential = "credential." + base + ".helper";
        String ca = "http." + base + "/.sslCAInfo";
        for (String host : targets) {
            String rewrite = "url." + base + "/relay/git/" + host + "/.insteadOf";
            git("--unset-all", rewrite);
            if (unset) {
                context.out().println("removed the relay for https://" + host);
                continue;
            }
            require(git(rewrite, "https://" + host + "/"), rewrite);
            context.out().println("git reaches https://" + host + " through the relay at " + base);
        }
        git("--unset-all", credential);
        git("--unset-all", ca);
        if (!unset) {
            // An empty helper first resets helpers configured for the broker's URL elsewhere, so ours answers alone.
            require(git("--add", credential, ""), credential);
            require(git("--add", credential, helper + " --relay"), credential);
            String caFile = context.env().get("AUTHRELAY_CA_FILE");
            if (caFile != null && !caFile.isBlank()) {
                require(git(ca, Path.of(caFile.strip()).toAbsolutePath().toString()), ca);
            }
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    /** AUTHRELAY_URL without a trailing slash; the relay serves TLS only. */
    private String relayBase() {
        String url;
        try {
            url = BrokerConfig.forWorkspace(context.env()).endpoint() instanceof BrokerEndpoint.Url u
                    ? u.url().toString()
                    : null;
        } catch (BrokerConfigException e) {
            throw new CliFailure(ExitCodes.USAGE, ErrorMessages.withoutPrefix(e.getMessage()), null);
        }
        if (url == null || !url.startsWith("https://")) {
            throw new CliFailure(
                    ExitCodes.USAGE,
                    "--relay needs AUTHRELAY_URL to be the broker's https:// address",
                    "start the daemon with --tls-cert and --tls-key, and set AUTHRELAY_URL=https://HOST:PORT");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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

    /**
     * The sh helper when one is named; else the helper script next to this launcher when there is one; else this CLI's
     * own git-credential command.
     */
    private String helperCommand() {
        if (shHelper != null) {
            Path script = shHelper.toAbsolutePath().normalize();
            if (!Files.isReadable(script)) {
                throw new CliFailure(
                        ExitCodes.USAGE,
                        "--sh-helper: cannot read " + script,
                        "fetch it first: curl -sf $AUTHRELAY_URL/v1/helper.sh > helper.sh");
            }
            // git runs the helper through the shell: quoted, and a path that cannot be quoted so is refused
            if (script.toString().contains("'")) {
                throw new CliFailure(
                        ExitCodes.USAGE, "--sh-helper: the path contains a single quote", "move the script elsewhere");
            }
            return "!sh '" + script + "'";
        }
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
