package io.authrelay.cli;

import io.authrelay.core.Version;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "authrelay",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Credential broker for AI coding agents.",
        subcommands = {
            ServerCommand.class,
            StopCommand.class,
            StatusCommand.class,
            DoctorCommand.class,
            VersionCommand.class,
            ProviderCommand.class,
            CredentialCommand.class,
            TokenCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            DiagnoseCommand.class,
            WorkspaceCommand.class,
            ApiTokenCommand.class,
            AdminTokenCommand.class,
            ConsoleLinkCommand.class,
            SetupGitCommand.class,
            ExecCommand.class,
            MaterializeCommand.class,
            GitCredentialCommand.class,
            KeysCommand.class,
            BackupCommand.class,
            MigrateCommand.class,
            AuditCommand.class,
            McpCommand.class,
            DevCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:failed",
            "2:usage",
            "3:not found",
            "4:authentication or permission",
            "5:daemon unreachable"
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), System.in, out, err));
    }

    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
        CliContext context = new CliContext(env, stdin, out, err);
        CommandLine cli = commandLine(args, new ContextFactory(context));
        cli.setOut(out).setErr(err);
        addHelpOptions(cli);
        // exec runs a command whose own options (gh pr list -R x) are not ours to parse.
        CommandLine exec = cli.getSubcommands().get("exec");
        if (exec != null) exec.setStopAtPositional(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliFailure failure) {
                err.println("authrelay: " + failure.getMessage());
                if (failure.hint() != null) err.println("  hint: " + failure.hint());
                err.flush();
                return failure.exitCode();
            }
            err.println("authrelay: unexpected error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null
                            ? ""
                            : ": " + io.authrelay.core.redaction.SecretRedactor.redact(e.getMessage())));
            err.flush();
            return ExitCodes.FAILED;
        });
        return cli.execute(args);
    }

    /**
     * The command tree for {@code args}: when they name one command, the root with only that one, since picocli builds
     * and instantiates every command it is given and a short command would pay for all of them at each start; the whole
     * tree for anything else (no command, an unknown one, {@code help}), whose usage lists every command.
     */
    static CommandLine commandLine(String[] args, CommandLine.IFactory factory) {
        Class<?> named = args.length == 0 ? null : SubcommandIndex.classOf(args[0]);
        if (named == null) return new CommandLine(new Main(), factory);
        return new CommandLine(new Root(), factory).addSubcommand(new CommandLine(named, factory));
    }

    /** Main without its subcommands: the same name, version and exit codes, for a tree of one command. */
    @Command(
            name = "authrelay",
            mixinStandardHelpOptions = true,
            versionProvider = Main.VersionProvider.class,
            description = "Credential broker for AI coding agents.")
    static final class Root implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("a tree of one command only runs that command");
        }
    }

    /** -h and --help on every command and subcommand, including those added later, without declaring them each. */
    static void addHelpOptions(CommandLine command) {
        var spec = command.getCommandSpec();
        if (spec.optionsMap().get("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                    .usageHelp(true)
                    .description("Show this help and exit.")
                    .build());
        }
        command.getSubcommands().values().forEach(Main::addHelpOptions);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"authrelay " + Version.PRODUCT + " (API v" + Version.API_VERSION + ")"};
        }
    }

    /** Hands the {@link CliContext} to every command that takes one in its constructor. */
    record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withContext = type.getDeclaredConstructor(CliContext.class);
                withContext.setAccessible(true);
                return withContext.newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
