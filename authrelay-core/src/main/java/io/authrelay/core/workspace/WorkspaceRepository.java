package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port for workspaces and their grants. */
public interface WorkspaceRepository {
    /** @return false when the name is taken */
    boolean insert(Workspace workspace);

    Optional<Workspace> findByName(String name);

    /** The workspace of that name, or a not-found answer that says how to list them. */
    default Workspace getByName(String name) {
        return findByName(name)
                .orElseThrow(() -> DomainException.notFound(
                        "workspace_not_found",
                        "no workspace named '" + name + "'",
                        "list workspaces with: authrelay workspace list"));
    }

    Optional<Workspace> findByTokenHash(String tokenHash);

    List<Workspace> list();

    boolean revoke(String name, Instant at);

    boolean replaceToken(String name, String tokenHash, Instant expiresAt, Instant at);

    /** Replaces every grant of the workspace with {@code grants}, in order. */
    void replaceGrants(String workspaceId, List<Grant> grants, Instant at);

    /** Deletes the workspace and its grants. */
    boolean delete(String workspaceId);

    /** The name of the workspace holding each grant on {@code provider}: one entry per grant. */
    List<String> grantHolders(String provider);

    /** Deletes every grant on {@code provider}, in whichever workspace. @return how many */
    int deleteGrants(String provider);
}
