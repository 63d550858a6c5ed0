package io.authrelay.server.pty;

/** How a run is isolated from the daemon's files. */
public enum SandboxMode {
    /** bwrap when it is installed and works here; otherwise unsandboxed, with the reason reported. */
    AUTO,
    /** bwrap or the run fails. */
    BWRAP,
    /** No sandbox: only the private home and the scrubbed environment. */
    NONE
}
