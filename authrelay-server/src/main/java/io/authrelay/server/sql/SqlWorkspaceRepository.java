package io.authrelay.server.sql;

import static io.authrelay.server.sql.SqlCredentialRepository.instant;
import static io.authrelay.server.sql.SqlCredentialRepository.millis;

import io.authrelay.core.net.HostName;
import io.authrelay.core.workspace.Grant;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.core.workspace.WorkspaceRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class SqlWorkspaceRepository implements WorkspaceRepository {
    private final Database db;
    /** Every write but an insert takes something away (a token, a grant), so each is a revocation. */
    private final ReadCache<String, Workspace> cache;

    public SqlWorkspaceRepository(Database db) {
        this.db = db;
        this.cache = new ReadCache<>(db, "workspace");
    }

    @Override
    public boolean insert(Workspace w) {
        return cache.write(h -> {
            int inserted = h.createUpdate("""
                    INSERT INTO workspace(id, name, token_hash, expires_at, revoked_at, created_at, updated_at)
                    VALUES (:id, :name, :hash, :expiresAt, NULL, :createdAt, :updatedAt) ON CONFLICT(name) DO NOTHING""")
                    .bind("id", w.id())
                    .bind("name", w.name())
                    .bind("hash", w.tokenHash())
                    .bind("expiresAt", millis(w.expiresAt()))
                    .bind("createdAt", w.createdAt().toEpochMilli())
                    .bind("updatedAt", w.updatedAt().toEpochMilli())
                    .execute();
            if (inserted == 0) return false;
            insertGrants(h, w.id(), w.grants());
            return true;
        });
    }

    @Override
    public Optional<Workspace> findByName(String name) {
        // A refresh ticket names its workspace: the delivery that follows must not trust caches a revocation emptied.
        db.checkRevocations();
        return db.with(h -> h.createQuery("SELECT * FROM workspace WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> map(rs, h))
                .findOne());
    }

    @Override
    public Optional<Workspace> findByTokenHash(String tokenHash) {
        // Every vend starts here: a revocation committed on another replica must refuse it, whatever is cached.
        db.checkRevocations();
        return cache.get(
                tokenHash,
                () -> db.with(h -> h.createQuery("SELECT * FROM workspace WHERE token_hash = :hash")
                        .bind("hash", tokenHash)
                        .map((rs, ctx) -> map(rs, h))
                        .findOne()));
    }

    @Override
    public List<Workspace> list() {
        return db.with(h -> h.createQuery("SELECT * FROM workspace ORDER BY name")
                .map((rs, ctx) -> map(rs, h))
                .list());
    }

    @Override
    public boolean revoke(String name, Instant at) {
        return cache.revoke(h -> h.createUpdate(
                                "UPDATE workspace SET revoked_at = :at, updated_at = :at WHERE name = :name")
                        .bind("at", at.toEpochMilli())
                        .bind("name", name)
                        .execute())
                == 1;
    }

    @Override
    public boolean replaceToken(String name, String tokenHash, Instant expiresAt, Instant at) {
        return cache.revoke(h -> h.createUpdate("""
                UPDATE workspace SET token_hash = :hash, expires_at = :expiresAt, revoked_at = NULL, created_at = :at, updated_at = :at
                WHERE name = :name""")
                        .bind("hash", tokenHash)
                        .bind("expiresAt", millis(expiresAt))
                        .bind("at", at.toEpochMilli())
                        .bind("name", name)
                        .execute())
                == 1;
    }

    @Override
    public List<String> grantHolders(String provider) {
        return db.with(h -> h.createQuery("""
                SELECT w.name FROM workspace_grant g JOIN workspace w ON w.id = g.workspace_id
                WHERE g.provider = :provider ORDER BY w.name, g.position""")
                .bind("provider", provider)
                .mapTo(String.class)
                .list());
    }

    @Override
    public int deleteGrants(String provider) {
        // Through the cache: a cached workspace carries its grants.
        return cache.revoke(h -> h.createUpdate("DELETE FROM workspace_grant WHERE provider = :provider")
                .bind("provider", provider)
                .execute());
    }

    @Override
    public void replaceGrants(String workspaceId, List<Grant> grants, Instant at) {
        cache.revoke(h -> {
            h.createUpdate("DELETE FROM workspace_grant WHERE workspace_id = :id")
                    .bind("id", workspaceId)
                    .execute();
            insertGrants(h, workspaceId, grants);
            return h.createUpdate("UPDATE workspace SET updated_at = :at WHERE id = :id")
                    .bind("at", at.toEpochMilli())
                    .bind("id", workspaceId)
                    .execute();
        });
    }

    @Override
    public boolean delete(String workspaceId) {
        return cache.revoke(h -> {
                    h.createUpdate("DELETE FROM workspace_grant WHERE workspace_id = :id")
                            .bind("id", workspaceId)
                            .execute();
                    return h.createUpdate("DELETE FROM workspace WHERE id = :id")
                            .bind("id", workspaceId)
                            .execute();
                })
                == 1;
    }

    private static void insertGrants(Handle h, String workspaceId, List<Grant> grants) {
        for (int i = 0; i < grants.size(); i++) {
            Grant g = grants.get(i);
            h.createUpdate(
                            "INSERT INTO workspace_grant(workspace_id, position, provider, host, path_pattern, allow_exec)"
                                    + " VALUES (:id, :pos, :provider, :host, :path, :allowExec)")
                    .bind("id", workspaceId)
                    .bind("pos", i)
                    .bind("provider", g.provider())
                    .bind("host", g.host().toString())
                    .bind("path", g.pathPattern())
                    .bind("allowExec", g.allowExec() ? 1 : 0)
                    .execute();
        }
    }

    private static Workspace map(ResultSet rs, Handle h) throws SQLException {
        String id = rs.getString("id");
        List<Grant> grants = h.createQuery(
                        "SELECT provider, host, path_pattern, allow_exec FROM workspace_grant WHERE workspace_id = :id"
                                + " ORDER BY position")
                .bind("id", id)
                .map((g, ctx) ->
                        new Grant(g.getString(1), HostName.parse(g.getString(2)), g.getString(3), g.getInt(4) == 1))
                .list();
        return new Workspace(
                id,
                rs.getString("name"),
                rs.getString("token_hash"),
                grants,
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
