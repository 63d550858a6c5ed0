package io.authrelay.core.audit;

import java.time.Instant;

/**
 * Which audit events to read, newest first. Null filters match everything. {@code workspace} matches what a workspace
 * did (its actor) and what was done to it (its target); {@code provider} the events whose target is that provider;
 * {@code action} an action and its sub-actions ({@code login} matches {@code login.connected}). {@code beforeId}
 * pages back: only events older than that one. {@code until} (null: now) ends the time window, exclusive.
 */
public record AuditQuery(
        Instant since, Instant until, Long beforeId, String workspace, String provider, String action, int limit) {
    public boolean matches(AuditEvent e) {
        return !e.at().isBefore(since)
                && (until == null || e.at().isBefore(until))
                && (beforeId == null || e.id() < beforeId)
                && (workspace == null || e.actor().equals(workspaceActor()) || workspace.equals(e.target()))
                && (provider == null || provider.equals(e.target()))
                && (action == null || e.action().equals(action) || e.action().startsWith(action + "."));
    }

    /** The actor name a workspace's own requests are audited under. */
    public String workspaceActor() {
        return "workspace:" + workspace;
    }
}
