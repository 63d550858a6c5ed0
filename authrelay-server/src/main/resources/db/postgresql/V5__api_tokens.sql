-- API tokens (art_...) for automation: only the SHA-256 of each token is kept. The scope bounds what it opens.
-- last_used_at is coarse (written at most once a minute per token). Revoked tokens stay listed for the record.
CREATE TABLE api_token (
    id           VARCHAR(32)  PRIMARY KEY,
    name         VARCHAR(63)  NOT NULL UNIQUE,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    scope        VARCHAR(16)  NOT NULL CHECK (scope IN ('metrics', 'read', 'admin')),
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
