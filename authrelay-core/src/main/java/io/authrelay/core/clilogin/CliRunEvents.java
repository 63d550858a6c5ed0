package io.authrelay.core.clilogin;

/** What a run reports, as it happens. Each session ends with exactly one of succeeded or failed. */
public interface CliRunEvents {
    void captured(String sessionId, String code, String url);

    /** Waiting for a machine-wide lock (e.g. codex's port 1455), behind {@code position} other runs. */
    void queued(String sessionId, int position);

    /** The run had to go without a sandbox, and why; shown by diagnose. */
    void unsandboxed(String sessionId, String reason);

    void succeeded(String sessionId, CapturedCredential credential);

    /** @param reason the CLI's own error line when it printed one */
    void failed(String sessionId, String reason);

    /** The last lines the CLI printed, already redacted, kept for diagnose. */
    void transcript(String sessionId, String redactedTail);

    /** The run is over and its process gone, after succeeded or failed (or a cancel). */
    void ended(String sessionId);
}
