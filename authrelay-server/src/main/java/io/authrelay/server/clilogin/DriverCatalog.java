package io.authrelay.server.clilogin;

import io.authrelay.client.Delivery;
import io.authrelay.core.DomainException;
import io.authrelay.core.Durations;
import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CliDrivers;
import io.authrelay.core.provider.CliTypes;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.oauth.OAuthEndpoints;
import io.authrelay.server.relay.CredentialHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The AI-CLI drivers: the files shipped in {@code drivers/} with the owner's overrides from providers.yaml's
 * {@code drivers:} section merged over them field by field (maps merge, lists and values replace), so one pattern or
 * the command can change without copying the rest, and a new CLI can be described there alone. A driver that does not
 * read or whose patterns do not compile refuses the start.
 */
public final class DriverCatalog implements CliDrivers, CliTypes {
    private static final String SHIPPED = "/drivers/shipped.list";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new HumanDuration()))
            .build();

    private final Map<String, CliDriver> drivers;

    private DriverCatalog(Map<String, CliDriver> drivers) {
        this.drivers = Map.copyOf(drivers);
    }

    /** @param overrides type → the fields providers.yaml sets for it; @param source names the file in refusals */
    public static DriverCatalog load(Map<String, JsonNode> overrides, String source) {
        Map<String, JsonNode> trees = new TreeMap<>();
        for (String type : shippedTypes()) trees.put(type, shipped(type));
        overrides.forEach((type, override) -> {
            if (!(override instanceof ObjectNode))
                throw new StartupRefusal(source + ": driver '" + type + "' must be a map");
            JsonNode base = trees.get(type);
            trees.put(type, base == null ? withType(override, type) : merge(base.deepCopy(), override));
        });
        Map<String, CliDriver> drivers = new TreeMap<>();
        trees.forEach((type, tree) -> drivers.put(
                type, read(type, tree, overrides.containsKey(type) ? source : "drivers/" + type + ".yaml")));
        return new DriverCatalog(drivers);
    }

    /** Only the shipped drivers. */
    public static DriverCatalog shipped() {
        return load(Map.of(), SHIPPED);
    }

    @Override
    public Optional<CliDriver> find(String type) {
        return Optional.ofNullable(drivers.get(type));
    }

    @Override
    public Optional<CliType> cliType(String type) {
        return find(type)
                .map(d -> new CliType(
                        d.type(), d.host(), d.defaultMode(), d.modes().keySet()));
    }

    @Override
    public List<String> names() {
        return List.copyOf(drivers.keySet());
    }

    private static CliDriver read(String type, JsonNode tree, String source) {
        CliDriver driver;
        try {
            driver = YAML.treeToValue(tree, CliDriver.class);
        } catch (JacksonException e) {
            throw new StartupRefusal(source + ": driver '" + type + "' is not valid: " + e.getOriginalMessage());
        }
        check(driver, source);
        return driver;
    }

    private static void check(CliDriver driver, String source) {
        String where = source + ": driver '" + driver.type() + "'";
        if (driver.command() == null || driver.command().isBlank()) throw new StartupRefusal(where + " has no command");
        if (driver.host() == null) throw new StartupRefusal(where + " has no host");
        if (!driver.modes().containsKey(driver.defaultMode()))
            throw new StartupRefusal(where + ": default_mode '" + driver.defaultMode() + "' is not one of its modes");
        checkPaths(driver, where);
        checkRelay(driver, where);
        driver.modes().forEach((name, mode) -> {
            var p = mode.patterns();
            List<String> patterns = new ArrayList<>();
            if (p != null)
                Stream.of(p.url(), p.code(), p.inputPrompt(), p.success(), p.failure())
                        .forEach(patterns::add);
            mode.answers().forEach(answer -> patterns.add(answer.expect()));
            for (String pattern : patterns) {
                if (pattern == null) continue;
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw new StartupRefusal(where + ", mode '" + name + "': pattern " + pattern + " does not compile: "
                            + e.getDescription());
                }
            }
            if (!driver.capture().containsKey(CliDriver.credentialKind(mode)) && !mode.storesKeyDirectly())
                throw new StartupRefusal(where + ", mode '" + name + "': nothing says where its credential is ("
                        + "capture." + CliDriver.credentialKind(mode) + ")");
        });
    }

    /**
     * Every path a driver names stays inside a home, and it delivers no variable a client refuses: by the clients' own
     * rules ({@link Delivery}), so a bad override stops the start instead of failing each login or delivery.
     */
    private static void checkPaths(CliDriver driver, String where) {
        driver.prepare().forEach(file -> checkPath(file.path(), where + ", prepare"));
        driver.capture().forEach((kind, capture) -> {
            checkPath(capture.file(), where + ", capture." + kind + ".file");
            if (capture.accountFile() != null)
                checkPath(capture.accountFile(), where + ", capture." + kind + ".account_file");
        });
        driver.delivery().forEach((kind, delivery) -> {
            delivery.files().forEach(file -> checkPath(file.path(), where + ", delivery." + kind + ".files"));
            delivery.env().keySet().forEach(name -> {
                String problem = Delivery.variableProblem(name);
                if (problem != null)
                    throw new StartupRefusal(where + ", delivery." + kind + ".env: " + name + " " + problem);
            });
        });
    }

    /**
     * A relay upstream is an https URL (plain http to loopback only, for tests), with no query to be lost; its headers
     * are ones the relay may set ({@link CredentialHeaders#problem}).
     */
    private static void checkRelay(CliDriver driver, String where) {
        if (driver.relay() == null) return;
        String upstream = driver.relay().upstream();
        try {
            URI uri = OAuthEndpoints.secure(where + ", relay.upstream", URI.create(upstream == null ? "" : upstream));
            if (uri == null || uri.getRawQuery() != null || uri.getRawFragment() != null)
                throw new StartupRefusal(where + ", relay.upstream must be a base URL without query or fragment");
        } catch (IllegalArgumentException | DomainException e) {
            throw new StartupRefusal(where + ", relay.upstream is not a valid URL: " + e.getMessage());
        }
        driver.relay().env().keySet().forEach(name -> {
            String problem = Delivery.variableProblem(name);
            if (problem != null) throw new StartupRefusal(where + ", relay.env: " + name + " " + problem);
        });
        driver.relay().files().forEach(file -> checkPath(file.path(), where + ", relay.files"));
        String headers = CredentialHeaders.problem(driver.relay().headers());
        if (headers != null) throw new StartupRefusal(where + ", relay.headers: " + headers);
    }

    private static void checkPath(String path, String where) {
        String problem = Delivery.pathProblem(path);
        if (problem != null) throw new StartupRefusal(where + ": path '" + path + "' " + problem);
    }

    /** {@code override} merged into {@code base}: maps key by key, anything else replaced. */
    static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode target) || !(override instanceof ObjectNode)) return override;
        for (var field : override.properties()) {
            JsonNode existing = target.get(field.getKey());
            target.set(field.getKey(), existing == null ? field.getValue() : merge(existing, field.getValue()));
        }
        return target;
    }

    private static JsonNode withType(JsonNode override, String type) {
        ObjectNode copy = (ObjectNode) override.deepCopy();
        if (!copy.has("type")) copy.put("type", type);
        return copy;
    }

    private static List<String> shippedTypes() {
        try (InputStream in = resource(SHIPPED)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode shipped(String type) {
        try (InputStream in = resource("/drivers/" + type + ".yaml")) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = DriverCatalog.class.getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("the build left out " + name);
        return in;
    }

    /** Timeouts as people type them (15m), like every other duration of authrelay's configuration. */
    private static final class HumanDuration extends ValueDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) {
            try {
                return Durations.parse(parser.getString());
            } catch (IllegalArgumentException e) {
                return (Duration) context.handleWeirdStringValue(Duration.class, parser.getString(), e.getMessage());
            }
        }
    }
}
