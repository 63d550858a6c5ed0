package io.authrelay.server.home;

import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.server.StartupRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLSchema;

/**
 * Reads providers.yaml strictly: an unknown key, a key given twice, a value of the wrong shape (a list, or a number or
 * boolean where text belongs: quote it), an empty entry, an entry without a name or two entries with one name refuse the
 * start with the file and the problem, because a lenient reader would turn a typo into a silently different provider.
 * YAML 1.2's core schema applies, so {@code ~} is null (an unset key) as YAML users expect, not the text "~".
 */
final class ProvidersYaml {
    /**
     * Each entry is a {@link ProviderSpec}, its keys the spec's in snake_case; a null {@code allow_http} is false.
     * {@code drivers} maps an AI-CLI type to the driver fields the owner overrides (or to a whole new driver).
     */
    record Document(List<ProviderSpec> providers, Map<String, JsonNode> drivers) {}

    private static final YAMLMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().yamlSchema(YAMLSchema.CORE).build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A null key is an unset key, allow_http too (false); the API, stricter, refuses a null there.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, text -> {
                text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                text.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                text.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            })
            .build();

    private ProvidersYaml() {}

    /** The declarations in {@code file}, in file order; none when it does not exist or is empty. */
    static List<ProviderSpec> read(Path file) {
        Document document = document(file);
        if (document == null || document.providers() == null) return List.of();
        return specs(file, document.providers());
    }

    /** The driver overrides in {@code file}: none when it does not exist or has no {@code drivers:} section. */
    static Map<String, JsonNode> drivers(Path file) {
        Document document = document(file);
        return document == null || document.drivers() == null ? Map.of() : document.drivers();
    }

    private static Document document(Path file) {
        if (!Files.exists(file)) return null;
        Document document;
        try {
            document = YAML.readValue(file.toFile(), Document.class);
        } catch (JacksonException e) {
            String key = e.getPath().isEmpty() || e.getPath().getLast().getPropertyName() == null
                    ? ""
                    : " at '" + e.getPath().getLast().getPropertyName() + "'";
            String line =
                    e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new StartupRefusal(file + " is not valid" + key + line + ": " + e.getOriginalMessage());
        }
        return document;
    }

    private static List<ProviderSpec> specs(Path file, List<ProviderSpec> entries) {
        List<ProviderSpec> specs = new ArrayList<>();
        Map<String, Integer> entryOfName = new HashMap<>();
        for (ProviderSpec entry : entries) {
            int number = specs.size() + 1;
            if (entry == null) throw new StartupRefusal(file + ": entry " + number + " is empty");
            if (entry.name() == null) throw new StartupRefusal(file + ": entry " + number + " has no name");
            Integer first = entryOfName.putIfAbsent(entry.name(), number);
            if (first != null) {
                throw new StartupRefusal(file + ": provider '" + entry.name() + "' is declared twice (entries " + first
                        + " and " + number + "); keep one entry per name");
            }
            specs.add(entry);
        }
        return List.copyOf(specs);
    }
}
