-- A configuration change never destroys data. Providers are updated in place, and removing one deletes what
-- hangs on it explicitly (ProviderRemoval, only when forced), so nothing may cascade: the children of provider and
-- workspace keep plain REFERENCES, and the database still refuses an orphan or the deletion of a parent in use.
-- SQLite cannot alter a constraint, so each child table is rebuilt: create, copy, drop, rename, recreate indexes.
-- Flyway runs this in one transaction; nothing references these tables, so foreign keys may stay on.

CREATE TABLE credential_v4 (
    provider         VARCHAR(63)   PRIMARY KEY REFERENCES provider(name),
    state            VARCHAR(32)   NOT NULL,
    account          VARCHAR(256),
    expires_at       BIGINT,
    updated_at       BIGINT        NOT NULL,
    scopes           VARCHAR(1024),
    refreshable      INTEGER       NOT NULL DEFAULT 0,
    last_refresh_at  BIGINT,
    last_error       VARCHAR(1024),
    refresh_failures INTEGER       NOT NULL DEFAULT 0,
    version          BIGINT        NOT NULL DEFAULT 0,
    refresh_owner    VARCHAR(64),
    refresh_until    BIGINT
);
INSERT INTO credential_v4 (provider, state, account, expires_at, updated_at, scopes, refreshable, last_refresh_at,
                           last_error, refresh_failures, version, refresh_owner, refresh_until)
SELECT provider, state, account, expires_at, updated_at, scopes, refreshable, last_refresh_at,
       last_error, refresh_failures, version, refresh_owner, refresh_until
FROM credential;
DROP TABLE credential;
ALTER TABLE credential_v4 RENAME TO credential;

CREATE TABLE login_session_v4 (
    id                  VARCHAR(40)   PRIMARY KEY,
    provider            VARCHAR(63)   NOT NULL REFERENCES provider(name),
    status              VARCHAR(16)   NOT NULL,
    user_code           VARCHAR(64)   NOT NULL,
    verification_uri    VARCHAR(1024) NOT NULL,
    verification_uri_complete VARCHAR(2048),
    expires_at          BIGINT        NOT NULL,
    interval_ms         BIGINT        NOT NULL,
    next_poll_at        BIGINT,
    polls               INTEGER       NOT NULL DEFAULT 0,
    consecutive_failures INTEGER      NOT NULL DEFAULT 0,
    last_result         VARCHAR(512),
    reason              VARCHAR(1024),
    account             VARCHAR(256),
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL
);
INSERT INTO login_session_v4 (id, provider, status, user_code, verification_uri, verification_uri_complete, expires_at,
                              interval_ms, next_poll_at, polls, consecutive_failures, last_result, reason, account,
                              created_at, updated_at)
SELECT id, provider, status, user_code, verification_uri, verification_uri_complete, expires_at,
       interval_ms, next_poll_at, polls, consecutive_failures, last_result, reason, account,
       created_at, updated_at
FROM login_session;
DROP TABLE login_session;
ALTER TABLE login_session_v4 RENAME TO login_session;
CREATE INDEX login_session_provider ON login_session(provider, created_at);
CREATE INDEX login_session_status ON login_session(status);

CREATE TABLE workspace_grant_v4 (
    workspace_id VARCHAR(32)  NOT NULL REFERENCES workspace(id),
    position     INTEGER      NOT NULL,
    provider     VARCHAR(63)  NOT NULL REFERENCES provider(name),
    host         VARCHAR(260) NOT NULL,
    path_pattern VARCHAR(512),
    PRIMARY KEY (workspace_id, position)
);
INSERT INTO workspace_grant_v4 (workspace_id, position, provider, host, path_pattern)
SELECT workspace_id, position, provider, host, path_pattern
FROM workspace_grant;
DROP TABLE workspace_grant;
ALTER TABLE workspace_grant_v4 RENAME TO workspace_grant;
-- Deleting a provider makes SQLite look for referencing grants; the index spares it a table scan.
CREATE INDEX workspace_grant_provider ON workspace_grant(provider);

-- The same change gives the provider row why it runs degraded (its issuer was unreachable at start, so its last
-- known endpoints are in use, since when) and whether its grants may serve plain-http hosts.
ALTER TABLE provider ADD COLUMN degraded_reason VARCHAR(1024);
ALTER TABLE provider ADD COLUMN degraded_since BIGINT;
ALTER TABLE provider ADD COLUMN allow_http INTEGER NOT NULL DEFAULT 0;
