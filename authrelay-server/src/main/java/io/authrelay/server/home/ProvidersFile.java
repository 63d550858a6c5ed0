package io.authrelay.server.home;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.credential.ProviderLifecycle;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.server.StartupRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Providers declared in {@code $AUTHRELAY_HOME/providers.yaml}, applied at every start: declared providers
 * are created or updated, so configuration management can own them. A bad entry stops the start with
 * its name and the problem, rather than leaving a half-configured broker.
 */
public final class ProvidersFile {
    public static final String NAME = "providers.yaml";

    record Entry(
            String name,
            String type,
            String host,
            String username,
            String clientId,
            String baseUrl,
            String issuer,
            String scopes,
            String deviceEndpoint,
            String tokenEndpoint) {}

    record Document(List<Entry> providers) {}

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ProvidersFile() {}

    public static int apply(Path home, ProviderLifecycle providers) {
        Path file = home.resolve(NAME);
        if (!Files.exists(file)) return 0;
        Document document;
        try {
            document = YAML.readValue(file.toFile(), Document.class);
        } catch (JacksonException e) {
            throw new StartupRefusal(file + " is not valid: " + e.getOriginalMessage());
        }
        if (document == null || document.providers() == null) return 0;
        Actor actor = new Actor(NAME, "local");
        for (Entry e : document.providers()) {
            try {
                providers.declare(
                        new ProviderSpec(
                                e.name(),
                                e.type(),
                                e.host(),
                                e.username(),
                                e.clientId(),
                                e.baseUrl(),
                                e.issuer(),
                                e.scopes(),
                                e.deviceEndpoint(),
                                e.tokenEndpoint()),
                        actor);
            } catch (DomainException ex) {
                throw new StartupRefusal(file + ": provider '" + e.name() + "': " + ex.getMessage());
            }
        }
        return document.providers().size();
    }
}
