-- A configuration change never destroys data (see db/sqlite/V4): the children of provider and workspace keep plain
-- REFERENCES, and the database still refuses an orphan or the deletion of a parent in use. PostgreSQL alters the
-- constraints in place (their names are PostgreSQL's defaults, given by V1-V3); SQLite has to rebuild the tables.
ALTER TABLE credential DROP CONSTRAINT credential_provider_fkey,
    ADD CONSTRAINT credential_provider_fkey FOREIGN KEY (provider) REFERENCES provider(name);
ALTER TABLE login_session DROP CONSTRAINT login_session_provider_fkey,
    ADD CONSTRAINT login_session_provider_fkey FOREIGN KEY (provider) REFERENCES provider(name);
ALTER TABLE workspace_grant DROP CONSTRAINT workspace_grant_workspace_id_fkey,
    ADD CONSTRAINT workspace_grant_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspace(id);
ALTER TABLE workspace_grant DROP CONSTRAINT workspace_grant_provider_fkey,
    ADD CONSTRAINT workspace_grant_provider_fkey FOREIGN KEY (provider) REFERENCES provider(name);
-- Deleting a provider looks for referencing grants; the index spares a table scan.
CREATE INDEX workspace_grant_provider ON workspace_grant(provider);

-- The same change gives the provider row why it runs degraded (its issuer was unreachable at start, so its last
-- known endpoints are in use, since when) and whether its grants may serve plain-http hosts.
ALTER TABLE provider ADD COLUMN degraded_reason VARCHAR(1024);
ALTER TABLE provider ADD COLUMN degraded_since BIGINT;
ALTER TABLE provider ADD COLUMN allow_http INTEGER NOT NULL DEFAULT 0;
