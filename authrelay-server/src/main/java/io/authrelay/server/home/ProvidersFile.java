package io.authrelay.server.home;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.credential.DeclarationOutcome;
import io.authrelay.core.credential.ProviderDeclaration;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.clilogin.DriverCatalog;
import io.authrelay.server.clilogin.LiveDrivers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers declared in {@code $AUTHRELAY_HOME/providers.yaml}, applied at every start, so configuration management
 * can own them. The whole file is checked before any of it is applied, and applied in one transaction: a bad entry
 * stops the start with its name and the problem and changes nothing. Providers are updated in place; a provider the
 * file no longer lists is left alone (removing one is an explicit {@code authrelay provider remove}).
 */
public final class ProvidersFile {
    public static final String NAME = "providers.yaml";
    private static final Logger log = LoggerFactory.getLogger(ProvidersFile.class);
    private static final Actor ACTOR = new Actor(NAME, "local");

    private final Path file;

    public ProvidersFile(Path home) {
        this.file = home.resolve(NAME);
    }

    /** The AI-CLI drivers: the shipped ones with this file's {@code drivers:} overrides, followed as it changes. */
    public LiveDrivers drivers() {
        return new LiveDrivers(file, () -> DriverCatalog.load(ProvidersYaml.drivers(file), file.toString()));
    }

    public Path path() {
        return file;
    }

    public List<DeclarationOutcome> apply(ProviderDeclaration declaration) {
        List<ProviderDeclaration.Resolution> resolutions = new ArrayList<>();
        for (ProviderSpec spec : ProvidersYaml.read(file)) {
            try {
                resolutions.add(declaration.resolve(spec));
            } catch (DomainException e) {
                throw new StartupRefusal(file + ": provider '" + spec.name() + "': " + e.getMessage());
            }
        }
        List<DeclarationOutcome> outcomes = declaration.apply(resolutions, ACTOR);
        outcomes.forEach(this::report);
        return outcomes;
    }

    /** Whether the file, as it is now, declares {@code name}: then the next start brings that provider back. */
    public boolean declares(String name) {
        try {
            return ProvidersYaml.read(file).stream()
                    .anyMatch(spec -> spec.name().equals(name));
        } catch (StartupRefusal invalid) {
            // The next start refuses this file, so it brings nothing back.
            return false;
        }
    }

    private void report(DeclarationOutcome outcome) {
        switch (outcome) {
            case DeclarationOutcome.Added added ->
                log.info("{}: added provider '{}'", file, added.provider().name());
            case DeclarationOutcome.Unchanged unchanged ->
                log.debug(
                        "{}: provider '{}' is unchanged",
                        file,
                        unchanged.provider().name());
            case DeclarationOutcome.Updated updated
            when updated.credentialDropped() ->
                log.warn(
                        "{}: provider '{}' has a new {}: its credential and sealed tokens, issued for the old one,"
                                + " were deleted; its grants stay. Connect it again with: {}",
                        file,
                        updated.provider().name(),
                        String.join(", ", updated.identityChanges()),
                        reconnectCommand(updated.provider()));
            case DeclarationOutcome.Updated updated ->
                log.info(
                        "{}: updated provider '{}' in place{}",
                        file,
                        updated.provider().name(),
                        updated.previous().isDegraded() ? "; its issuer answers again, it is no longer degraded" : "");
            case DeclarationOutcome.Degraded degraded ->
                log.warn(
                        "{}: provider '{}' is degraded, running on its last known endpoints: {}; the next start tries"
                                + " again",
                        file,
                        degraded.provider().name(),
                        degraded.provider().degradation().reason());
            case DeclarationOutcome.Skipped skipped ->
                log.warn(
                        "{}: provider '{}' was not added: {}; the next start tries again",
                        file,
                        skipped.name(),
                        skipped.reason());
        }
    }

    private static String reconnectCommand(Provider provider) {
        return provider.kind().hasLogin()
                ? "authrelay login " + provider.name()
                : "authrelay credential set " + provider.name();
    }
}
