package io.authrelay.core.fake;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditEvent;
import io.authrelay.core.audit.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

public final class InMemoryAuditLog implements AuditLog {
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void append(Instant at, Actor actor, String action, String target, String result, String detail) {
        events.add(new AuditEvent(events.size() + 1, at, actor.name(), action, target, result, actor.origin(), detail));
    }

    @Override
    public List<AuditEvent> since(Instant since, int limit) {
        return events.stream().filter(e -> !e.at().isBefore(since)).limit(limit).toList();
    }

    public List<String> actions() {
        return events.stream().map(AuditEvent::action).toList();
    }
}
