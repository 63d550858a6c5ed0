package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command line naming one command builds a tree of that command alone (a faster start); every command, and every
 * command under it, must read, print and behave as in the whole tree.
 */
class CommandTreeTest {
    private final Main.ContextFactory factory = new Main.ContextFactory(new CliContext(
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter())));

    private CommandLine whole() {
        CommandLine whole = new CommandLine(new Main(), factory);
        Main.addHelpOptions(whole);
        return whole;
    }

    @Test
    void eachCommandAloneHasTheUsageOfItsPlaceInTheWholeTree() {
        CommandLine whole = whole();
        assertThat(whole.getSubcommands()).hasSizeGreaterThan(20);
        for (var entry : whole.getSubcommands().entrySet()) {
            String name = entry.getKey();
            if (name.equals("help")) continue;
            CommandLine alone = Main.commandLine(new String[] {name, "--help"}, factory);
            Main.addHelpOptions(alone);
            assertThat(alone.getSubcommands().keySet()).as(name).containsExactly(name);
            assertSameUsage(entry.getValue(), alone.getSubcommands().get(name));
        }
    }

    private static void assertSameUsage(CommandLine expected, CommandLine actual) {
        String where = expected.getCommandSpec().qualifiedName();
        assertThat(actual.getCommandSpec().qualifiedName()).isEqualTo(where);
        assertThat(actual.getUsageMessage()).as(where).isEqualTo(expected.getUsageMessage());
        assertThat(actual.getSubcommands().keySet())
                .as(where)
                .isEqualTo(expected.getSubcommands().keySet());
        for (String sub : expected.getSubcommands().keySet())
            assertSameUsage(
                    expected.getSubcommands().get(sub), actual.getSubcommands().get(sub));
    }

    @Test
    void noCommandAnUnknownOneOrHelpGetsTheWholeTree() {
        int all = whole().getSubcommands().size();
        for (String[] args : new String[][] {{}, {"--help"}, {"stauts"}, {"help", "status"}, {"STATUS"}, {"-V"}}) {
            assertThat(Main.commandLine(args, factory).getSubcommands())
                    .as(String.join(" ", args))
                    .hasSize(all);
        }
    }

    @Test
    void theOneCommandRunsWithTheRootsOptionsAndExitCodes() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(
                new String[] {"version"},
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("authrelay ");
        StringWriter usageErr = new StringWriter();
        int usage = Main.run(
                new String[] {"status", "--no-such-option"},
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(usageErr, true));
        assertThat(usage).isEqualTo(ExitCodes.USAGE);
        assertThat(usageErr.toString())
                .contains("Unknown option: '--no-such-option'")
                .contains("authrelay status");
    }
}
