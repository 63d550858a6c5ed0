package io.authrelay.server.home;

import io.authrelay.core.DomainException;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.server.StartupRefusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Sets one driver's {@code command} in providers.yaml for {@code provider add --command}: the owner's file is the
 * only place a command may come from, so the CLI writes it there rather than send it to the API. The edit keeps
 * every line the owner wrote (comments included): it appends a {@code drivers:} section, or inserts the driver right
 * under an existing one, then reads the result with the daemon's own strict reader and writes it only when the
 * providers and every other driver read exactly as before.
 */
public final class DriverCommandEdit {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private DriverCommandEdit() {}

    /** @return false when the file already says exactly this */
    public static boolean setCommand(Path file, String type, Path command) {
        if (!TYPE.matcher(type).matches()) throw invalid("'" + type + "' is not a driver type", null);
        String path = command.toString();
        if (!command.isAbsolute() || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\'' || c == '"'))
            throw invalid("--command must be an absolute path without quotes or control characters", null);
        if (!Files.isExecutable(command)) throw invalid(path + " is not an executable file", null);
        try {
            String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            Map<String, JsonNode> drivers = ProvidersYaml.drivers(file);
            JsonNode existing = drivers.get(type);
            if (existing != null && path.equals(existing.path("command").asString(null))) return false;
            if (existing != null) {
                throw invalid(
                        file + " already describes the " + type + " driver",
                        "set its command there: drivers: " + type + ": command: " + path);
            }
            String after = withDriver(before, type, path);
            Path draft = file.resolveSibling("." + file.getFileName() + ".edit");
            PrivateFiles.writeAtomically(draft, after.getBytes(StandardCharsets.UTF_8));
            try {
                requireSameBut(file, draft, type, path);
            } finally {
                Files.deleteIfExists(draft);
            }
            PrivateFiles.writeAtomically(file, after.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + file, e);
        }
    }

    private static String withDriver(String text, String type, String command) {
        String entry = "  " + type + ":\n    command: '" + command + "'\n";
        List<String> lines = text.lines().toList();
        int section = lines.indexOf("drivers:");
        if (section < 0) return text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "drivers:\n" + entry;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(lines.get(i)).append('\n');
            if (i == section) out.append(entry);
        }
        return out.toString();
    }

    /** The draft must read as the file does, plus this one driver's command; else the layout was not understood. */
    private static void requireSameBut(Path file, Path draft, String type, String command) {
        List<ProviderSpec> providers = ProvidersYaml.read(file);
        Map<String, JsonNode> drivers = ProvidersYaml.drivers(file);
        Map<String, JsonNode> edited = readableDrivers(draft);
        boolean same = edited != null
                && Objects.equals(providers, ProvidersYaml.read(draft))
                && edited.size() == drivers.size() + 1
                && drivers.entrySet().stream().allMatch(e -> e.getValue().equals(edited.get(e.getKey())))
                && edited.get(type) != null
                && command.equals(edited.get(type).path("command").asString(null))
                && edited.get(type).size() == 1;
        if (!same) {
            throw invalid(
                    file + " is laid out in a way this edit does not understand; nothing was changed",
                    "add it by hand: drivers: " + type + ": command: " + command);
        }
    }

    /** The draft's drivers, or null when the edit made it unreadable (e.g. a second {@code drivers:} key). */
    private static Map<String, JsonNode> readableDrivers(Path draft) {
        try {
            ProvidersYaml.read(draft);
            return ProvidersYaml.drivers(draft);
        } catch (StartupRefusal unreadable) {
            return null;
        }
    }

    private static DomainException invalid(String message, String hint) {
        return DomainException.invalid("invalid_command", message, hint);
    }
}
