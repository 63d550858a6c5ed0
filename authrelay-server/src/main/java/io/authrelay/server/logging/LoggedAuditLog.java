package io.authrelay.server.logging;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.server.sql.AuditRow;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every audited event is also a line in the daemon's log, at INFO, since that is where an operator looks first: logins
 * started and ended, refreshes and needs_reauth, workspaces created and revoked, authentication failures with the
 * address they came from. Successful vends are the exception: they are the hot path, and the audit table has them.
 * Secrets never reach here (audit rows hold none), and the log encoder redacts anyway; each value is cut to the length
 * its audit column allows, so a request cannot make a log line arbitrarily long.
 */
public final class LoggedAuditLog implements AuditLog {
    private static final Logger log = LoggerFactory.getLogger("io.authrelay.audit");

    private final AuditLog delegate;

    public LoggedAuditLog(AuditLog delegate) {
        this.delegate = delegate;
    }

    @Override
    public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
        delegate.append(at, actor, action, target, result, detail);
        if (action.equals("vend") && result.equals(AuditLog.OK)) return;
        AuditRow row = AuditRow.of(at, actor, action, target, result, detail); // the same bounds as the stored row
        log.info(
                "{} {}: {} by {} from {}{}",
                row.action(),
                row.target(),
                row.result(),
                row.actor(),
                row.origin(),
                row.detail() == null ? "" : " (" + row.detail() + ")");
    }

    @Override
    public List<AuditEvent> since(Instant since, int limit) {
        return delegate.since(since, limit);
    }

    @Override
    public List<AuditEvent> find(io.authrelay.core.audit.AuditQuery query) {
        return delegate.find(query);
    }
}
