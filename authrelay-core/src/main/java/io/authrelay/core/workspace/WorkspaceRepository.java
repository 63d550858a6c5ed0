package io.authrelay.core.workspace;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port for workspaces and their grants. */
public interface WorkspaceRepository {
    /** @return false when the name is taken */
    boolean insert(Workspace workspace);

    Optional<Workspace> findByName(String name);

    Optional<Workspace> findByTokenHash(String tokenHash);

    List<Workspace> list();

    boolean revoke(String name, Instant at);

    boolean replaceToken(String name, String tokenHash, Instant expiresAt, Instant at);

    /** Replaces every grant of the workspace with {@code grants}, in order. */
    void replaceGrants(String workspaceId, List<Grant> grants, Instant at);

    /** Deletes the workspace and its grants. */
    boolean delete(String workspaceId);
}
