package io.authrelay.core.credential;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.oauth.ProviderUnavailableException;
import io.authrelay.core.provider.Degradation;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderIdentity;
import io.authrelay.core.provider.ProviderRepository;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.core.service.ServiceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Providers declared in configuration (providers.yaml), applied at every start. A declaration updates the
 * stored provider in place, so its credential, grants and login history stay; only a change of identity
 * ({@link ProviderIdentity}) drops the credential, whose tokens were issued for the old one. An issuer that cannot
 * be reached leaves the stored provider as it is, marked degraded, instead of stopping the start.
 */
public final class ProviderDeclaration {
    /** A declared provider with its endpoints resolved, or the reason its issuer could not be reached. */
    public sealed interface Resolution {
        record Resolved(Provider provider) implements Resolution {}

        record Unreachable(String name, String reason) implements Resolution {}
    }

    private final ServiceContext context;
    private final ProviderRepository providers;
    private final ConnectionWriter writer;

    public ProviderDeclaration(ServiceContext context, ProviderRepository providers, ConnectionWriter writer) {
        this.context = context;
        this.providers = providers;
        this.writer = writer;
    }

    /**
     * Validates a declaration and resolves its endpoints, writing nothing, so a whole file can be checked before
     * any of it is applied.
     * @throws io.authrelay.core.DomainException when the declaration is invalid
     */
    public Resolution resolve(ProviderSpec spec) {
        try {
            return new Resolution.Resolved(context.providers().configure(spec));
        } catch (ProviderUnavailableException e) {
            return new Resolution.Unreachable(spec.name(), e.getMessage());
        }
    }

    /** Applies resolved declarations in one transaction: all of them or, should one fail, none. */
    public List<DeclarationOutcome> apply(List<Resolution> resolutions, Actor actor) {
        return context.tx()
                .inTransaction(() -> resolutions.stream()
                        .map(resolution -> switch (resolution) {
                            case Resolution.Resolved resolved -> store(resolved.provider(), actor);
                            case Resolution.Unreachable unreachable -> degrade(unreachable, actor);
                        })
                        .toList());
    }

    private DeclarationOutcome store(Provider declared, Actor actor) {
        Optional<Provider> existing = providers.find(declared.name());
        // Replicas starting at once apply the same file: the one whose insert loses the race updates like a restart.
        if (existing.isEmpty() && !providers.insert(declared)) existing = providers.find(declared.name());
        if (existing.isEmpty()) {
            audit(
                    actor,
                    "provider.declare",
                    declared.name(),
                    "added, type=" + declared.kind().wireName());
            return new DeclarationOutcome.Added(declared);
        }
        Provider stored = existing.get();
        Provider updated = declared.createdAt(stored.createdAt());
        if (updated.equals(stored)) return new DeclarationOutcome.Unchanged(stored);
        List<String> identityChanges = ProviderIdentity.of(stored).changedIn(ProviderIdentity.of(updated));
        providers.update(updated);
        audit(
                actor,
                "provider.declare",
                updated.name(),
                identityChanges.isEmpty() ? "updated" : "updated, changed " + String.join(", ", identityChanges));
        boolean credentialDropped = !identityChanges.isEmpty() && writer.erase(updated.name());
        if (credentialDropped) {
            audit(actor, "credential.delete", updated.name(), String.join(", ", identityChanges) + " changed");
        }
        return new DeclarationOutcome.Updated(stored, updated, identityChanges, credentialDropped);
    }

    private DeclarationOutcome degrade(Resolution.Unreachable unreachable, Actor actor) {
        Optional<Provider> existing = providers.find(unreachable.name());
        if (existing.isEmpty()) return new DeclarationOutcome.Skipped(unreachable.name(), unreachable.reason());
        Provider stored = existing.get();
        Instant since = stored.isDegraded()
                ? stored.degradation().since()
                : context.clock().instant();
        Provider degraded = stored.degraded(new Degradation(unreachable.reason(), since));
        providers.update(degraded);
        audit(actor, "provider.degrade", degraded.name(), unreachable.reason());
        return new DeclarationOutcome.Degraded(degraded);
    }

    private void audit(Actor actor, String action, String name, String detail) {
        context.audit().append(context.clock().instant(), actor, action, name, AuditLog.OK, detail);
    }
}
