package io.authrelay.server.replica;

import io.authrelay.core.clilogin.RunOwners;
import io.authrelay.server.sql.Database;
import java.util.Optional;

/** {@link RunOwners} in the {@code cli_run_owner} table, with liveness from the {@link ReplicaRegistry}. */
public final class SqlRunOwners implements RunOwners {
    private final Database db;
    private final ReplicaRegistry replicas;

    public SqlRunOwners(Database db, ReplicaRegistry replicas) {
        this.db = db;
        this.replicas = replicas;
    }

    @Override
    public void claim(String sessionId) {
        db.with(h -> h.createUpdate("INSERT INTO cli_run_owner(session_id, replica) VALUES (:session, :replica)")
                .bind("session", sessionId)
                .bind("replica", replicas.id())
                .execute());
    }

    @Override
    public void release(String sessionId) {
        db.with(h -> h.createUpdate("DELETE FROM cli_run_owner WHERE session_id = :session")
                .bind("session", sessionId)
                .execute());
    }

    @Override
    public Optional<Owner> ownerOf(String sessionId) {
        return db.with(h -> h.createQuery("SELECT replica FROM cli_run_owner WHERE session_id = :session")
                        .bind("session", sessionId)
                        .mapTo(String.class)
                        .findOne())
                .map(replicaId -> replicas.find(replicaId)
                        .map(r -> new Owner(r.id(), r.address(), r.self(), replicas.isAlive(r)))
                        // No heartbeat row: the replica stopped cleanly (or long ago), so it is not alive.
                        .orElseGet(() -> new Owner(replicaId, null, replicaId.equals(replicas.id()), false)));
    }
}
