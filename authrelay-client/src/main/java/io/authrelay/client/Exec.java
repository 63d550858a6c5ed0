package io.authrelay.client;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a command with provider tokens in its environment, never in its arguments:
 * {@code Exec [--isolate] --provider github [--provider gitea=GITEA_TOKEN] [--] COMMAND [ARGS…]}.
 *
 * <p>Each provider is vended by name, and its token goes into the variables {@link ExecVariables} chooses by the
 * credential's kind (or those mapped explicitly with {@code NAME=VAR}). A provider of kind {@value #CLI_LOGIN_KIND}
 * (an AI CLI's login) is then asked for its delivery, and the child gets exactly the variables the broker rendered for
 * that CLI; the delivery's files are not written (that is {@code authrelay materialize}), and HOME is left alone.
 * The child inherits stdin, stdout and stderr.
 *
 * <p>The child keeps the rest of the environment, the workspace's own {@code AUTHRELAY_TOKEN} included: an agent
 * started this way runs git, whose credential helper needs it, so by default the child can ask the broker for
 * anything the workspace is granted. {@code --isolate} removes {@link #BROKER_VARIABLES} first, so the child holds
 * only the vended tokens (a client config file it can read still names the broker; isolate that by file system).
 *
 * <p>Exit status: the command's own; 127 when it is not found, 126 when it cannot be run, 125 when no
 * token could be vended (reason on stderr), 2 for usage errors ({@link #main} only).
 */
public final class Exec {
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_VEND_FAILED = 125;
    public static final int EXIT_CANNOT_RUN = 126;
    public static final int EXIT_NOT_FOUND = 127;
    /** What {@code --isolate} keeps from the child: the way to the broker and the workspace's token. */
    public static final List<String> BROKER_VARIABLES = List.of("AUTHRELAY_TOKEN", "AUTHRELAY_CONFIG", "AUTHRELAY_URL");
    /** The vend answer's kind for a provider logged in through an AI CLI: its variables come from a delivery. */
    public static final String CLI_LOGIN_KIND = "cli-login";
    /** The broker's private CA, which Node-based CLIs (Claude Code, Gemini CLI) trust through {@link #NODE_CA_VARIABLE}. */
    public static final String CA_FILE_VARIABLE = "AUTHRELAY_CA_FILE";

    public static final String NODE_CA_VARIABLE = "NODE_EXTRA_CA_CERTS";

    private static final String USAGE =
            "usage: authrelay-exec [--isolate] --provider NAME[=ENVVAR]... [--] COMMAND [ARGS...]";

    private Exec() {}

    public static void main(String[] args) {
        List<String> providers = new ArrayList<>();
        Map<String, String> envNames = new LinkedHashMap<>();
        boolean isolate = false;
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            String spec = null;
            if (arg.equals("--")) {
                i++;
                break;
            } else if (arg.equals("--isolate")) {
                isolate = true;
                i++;
            } else if (arg.equals("--provider") || arg.equals("-p")) {
                if (i + 1 >= args.length) usage("--provider needs a name");
                spec = args[i + 1];
                i += 2;
            } else if (arg.startsWith("--provider=")) {
                spec = arg.substring("--provider=".length());
                i++;
            } else if (arg.startsWith("-")) {
                usage("unknown option " + ErrorMessages.clean(arg));
            } else {
                break;
            }
            if (spec != null) {
                int eq = spec.indexOf('=');
                String name = eq < 0 ? spec : spec.substring(0, eq);
                if (name.isEmpty()) usage("--provider needs a name");
                providers.add(name);
                if (eq >= 0) envNames.put(name, spec.substring(eq + 1));
            }
        }
        List<String> command = new ArrayList<>();
        for (; i < args.length; i++) command.add(args[i]);
        if (command.isEmpty()) usage("no command to run");
        System.exit(run(providers, envNames, command, System.getenv(), isolate, false, System.err));
    }

    /**
     * An AI CLI's variables, exactly as the broker renders them for its driver. Its files are not written: the child
     * keeps its own HOME, and {@code authrelay materialize} is the way to put them there.
     */
    private static Map<String, String> delivered(WorkspaceClient broker, String provider, PrintStream err)
            throws BrokerUnreachableException, BrokerException {
        Delivery delivery = broker.deliver(provider);
        if (!delivery.files().isEmpty()) {
            List<String> paths =
                    delivery.files().stream().map(Delivery.File::path).toList();
            err.println(ErrorMessages.PREFIX + "exec: " + ErrorMessages.clean(provider) + " also comes as files ("
                    + ErrorMessages.clean(String.join(", ", paths)) + ") that exec does not write: use authrelay"
                    + " materialize " + ErrorMessages.clean(provider) + " --home DIR");
        }
        return delivery.env();
    }

    /** Adds a provider's variables; false (reason on err) when another provider already set one of them. */
    private static boolean putAll(
            Map<String, String> vended,
            Map<String, String> owner,
            String provider,
            Map<String, String> variables,
            PrintStream err) {
        for (var variable : variables.entrySet()) {
            String previous = owner.put(variable.getKey(), provider);
            if (previous != null) {
                err.println(ErrorMessages.PREFIX + "exec: providers " + ErrorMessages.clean(previous) + " and "
                        + ErrorMessages.clean(provider) + " would both set " + variable.getKey()
                        + ": map one with NAME=ENVVAR");
                return false;
            }
            vended.put(variable.getKey(), variable.getValue());
        }
        return true;
    }

    private static void usage(String problem) {
        System.err.println(ErrorMessages.PREFIX + problem + ": " + USAGE);
        System.exit(EXIT_USAGE);
    }

    /**
     * Runs {@code command} with each provider's credential in its environment. With {@code relay}, each provider's CLI
     * is pointed at the broker's credential relay instead: it gets the variables {@link WorkspaceClient#relayVariables} fills in (the relay URL, the workspace token as its
     * credential), {@value #NODE_CA_VARIABLE} for a broker with a private CA, and no vendor token at all. A CLI whose
     * driver names relay files (codex's CODEX_HOME) gets them in a private directory that is removed when the command
     * has exited ({@link RelayHome}).
     *
     * @param providers provider names to vend, in order
     * @param envNames  explicit provider → variable name(s) (comma-separated); others use the default rule
     * @param command   the command and its arguments
     * @param env       the environment for the broker configuration and the child (tokens are added to it)
     * @param isolate   leave {@link #BROKER_VARIABLES} out of the child's environment
     * @param relay     through the relay, with no vendor token (above)
     * @param err       where one-line errors go
     */
    public static int run(
            List<String> providers,
            Map<String, String> envNames,
            List<String> command,
            Map<String, String> env,
            boolean isolate,
            boolean relay,
            PrintStream err) {
        if (command == null || command.isEmpty()) {
            err.println(ErrorMessages.PREFIX + "exec: no command to run");
            return EXIT_USAGE;
        }
        if (providers == null || providers.isEmpty()) {
            err.println(ErrorMessages.PREFIX + "exec: name at least one provider with --provider NAME");
            return EXIT_USAGE;
        }
        Map<String, String> names = envNames == null ? Map.of() : envNames;
        if (relay && !names.isEmpty()) {
            err.println(
                    ErrorMessages.PREFIX + "exec: --relay sets the CLI's own variables: NAME=ENVVAR does not apply");
            return EXIT_USAGE;
        }
        for (String explicit : names.values()) {
            for (String var : ExecVariables.explicitNames(explicit)) {
                if (!ExecVariables.isValidName(var)) {
                    err.println(ErrorMessages.PREFIX + "exec: '" + ErrorMessages.clean(var)
                            + "' is not a valid environment variable name");
                    return EXIT_USAGE;
                }
            }
        }
        RelayHome relayHome = new RelayHome();
        try {
            WorkspaceClient broker;
            try {
                broker = WorkspaceClient.fromEnvironment(env, err);
            } catch (BrokerConfigException e) {
                err.println(ErrorMessages.config(e));
                return EXIT_VEND_FAILED;
            }
            Map<String, String> vended = new LinkedHashMap<>();
            Map<String, String> owner = new LinkedHashMap<>();
            for (String provider : new java.util.LinkedHashSet<>(providers)) {
                Map<String, String> variables;
                if (relay) {
                    try {
                        variables = broker.relayVariables(provider, relayHome, env.get(CA_FILE_VARIABLE));
                    } catch (BrokerUnreachableException | BrokerException e) {
                        err.println(e.getMessage());
                        return EXIT_VEND_FAILED;
                    } catch (IOException e) {
                        err.println(ErrorMessages.PREFIX + "exec: " + ErrorMessages.clean(e.getMessage()));
                        return EXIT_VEND_FAILED;
                    }
                    if (putAll(vended, owner, provider, variables, err)) continue;
                    return EXIT_USAGE;
                }
                VendResult result = broker.vend(VendRequest.forProvider(provider));
                if (!(result instanceof VendResult.Granted granted)) {
                    err.println(
                            result instanceof VendResult.NotOurs notOurs
                                    ? notOurs.message()
                                    : ((VendResult.Failed) result).message());
                    return EXIT_VEND_FAILED;
                }
                if (CLI_LOGIN_KIND.equals(granted.kind()) && !names.containsKey(provider)) {
                    try {
                        variables = delivered(broker, provider, err);
                    } catch (BrokerUnreachableException | BrokerException e) {
                        err.println(e.getMessage());
                        return EXIT_VEND_FAILED;
                    }
                } else {
                    variables = ExecVariables.forCredential(provider, names.get(provider), granted);
                }
                if (!putAll(vended, owner, provider, variables, err)) return EXIT_USAGE;
            }
            String caFile = env.get(CA_FILE_VARIABLE);
            if (relay && caFile != null && !caFile.isEmpty()) vended.put(NODE_CA_VARIABLE, caFile);

            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            Map<String, String> childEnv = builder.environment();
            childEnv.clear();
            childEnv.putAll(env);
            if (isolate) childEnv.keySet().removeAll(BROKER_VARIABLES);
            childEnv.putAll(vended);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                boolean notFound = message.contains("error=2,") || message.contains("No such file");
                err.println(ErrorMessages.PREFIX + "exec: cannot run " + ErrorMessages.clean(command.get(0)) + ": "
                        + (notFound ? "command not found" : "not executable"));
                return notFound ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
            }
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
                return 130;
            }
        } finally {
            relayHome.remove(err); // the command's own exit status stands; a leftover is reported
        }
    }
}
