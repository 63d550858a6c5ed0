-- Workspaces hold only the SHA-256 of their token; grants say which provider, host and paths they may receive.
CREATE TABLE workspace (
    id          VARCHAR(32)  PRIMARY KEY,
    name        VARCHAR(63)  NOT NULL UNIQUE,
    token_hash  VARCHAR(64)  NOT NULL UNIQUE,
    expires_at  BIGINT,
    revoked_at  BIGINT,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);

CREATE TABLE workspace_grant (
    workspace_id VARCHAR(32)  NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
    position     INTEGER      NOT NULL,
    provider     VARCHAR(63)  NOT NULL REFERENCES provider(name) ON DELETE CASCADE,
    host         VARCHAR(260) NOT NULL,
    path_pattern VARCHAR(512),
    PRIMARY KEY (workspace_id, position)
);
