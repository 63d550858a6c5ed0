package io.authrelay.core.credential;

import io.authrelay.core.provider.Provider;
import java.util.List;

/** What declaring one provider did, for the caller to report. */
public sealed interface DeclarationOutcome {
    /** Declared for the first time. */
    record Added(Provider provider) implements DeclarationOutcome {}

    /** Declared as it is stored. */
    record Unchanged(Provider provider) implements DeclarationOutcome {}

    /**
     * Updated in place. {@code identityChanges} names the providers.yaml keys that made its credential worthless
     * (see {@link io.authrelay.core.provider.ProviderIdentity}); {@code credentialDropped} says whether there was one.
     */
    record Updated(Provider previous, Provider provider, List<String> identityChanges, boolean credentialDropped)
            implements DeclarationOutcome {}

    /** Its issuer could not be reached: the stored provider stays in use, marked degraded. */
    record Degraded(Provider provider) implements DeclarationOutcome {}

    /** Declared for the first time while its issuer is unreachable: not added; the next declaration tries again. */
    record Skipped(String name, String reason) implements DeclarationOutcome {}
}
