package io.authrelay.core.service;

import io.authrelay.core.Transactions;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.timeline.Timeline;
import io.authrelay.core.vault.SecretStore;
import java.time.Clock;

/**
 * What every service above the providers works with: the configured providers, the vault, the timeline,
 * the audit log, transactions and the clock. A service takes this, plus the repositories and ports of its
 * own package.
 */
public record ServiceContext(
        ProviderService providers,
        SecretStore secrets,
        Timeline timeline,
        AuditLog audit,
        Transactions tx,
        Clock clock) {
    /** The same context, auditing through {@code other}. */
    public ServiceContext withAudit(AuditLog other) {
        return new ServiceContext(providers, secrets, timeline, other, tx, clock);
    }
}
