package io.authrelay.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Main's subcommands by name, read from their annotations alone: no command is built or instantiated to find one. */
final class SubcommandIndex {
    private static final Map<String, Class<?>> BY_NAME = index();

    private SubcommandIndex() {}

    /** The class of the command {@code name} names (an alias too), or null: none, or {@code help}, which needs them all. */
    static Class<?> classOf(String name) {
        return BY_NAME.get(name);
    }

    private static Map<String, Class<?>> index() {
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> command : Main.class.getAnnotation(Command.class).subcommands()) {
            if (command == CommandLine.HelpCommand.class) continue;
            Command annotation = command.getAnnotation(Command.class);
            byName.put(annotation.name(), command);
            for (String alias : annotation.aliases()) byName.put(alias, command);
        }
        return Map.copyOf(byName);
    }
}
