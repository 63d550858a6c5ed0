package io.authrelay.core.provider;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The AI-CLI drivers this daemon knows, as far as configuring a provider needs them. */
public interface CliTypes {
    Optional<CliType> cliType(String type);

    /** Every driver's type, sorted. */
    List<String> names();

    /** A daemon without AI-CLI drivers. */
    static CliTypes none() {
        return new CliTypes() {
            @Override
            public Optional<CliType> cliType(String type) {
                return Optional.empty();
            }

            @Override
            public List<String> names() {
                return List.of();
            }
        };
    }

    /** @param host where the driver's credential is presented; @param modes every login mode it has */
    record CliType(String name, String host, String defaultMode, Set<String> modes) {}
}
