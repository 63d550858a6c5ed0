-- SQLite schema. PostgreSQL gets its own folder (db/postgresql) with the same versions when it arrives.
CREATE TABLE provider (
    name        VARCHAR(63)  PRIMARY KEY,
    kind        VARCHAR(32)  NOT NULL,
    host        VARCHAR(260) NOT NULL,
    username    VARCHAR(256),
    created_at  BIGINT       NOT NULL
);

CREATE TABLE credential (
    provider    VARCHAR(63)  PRIMARY KEY REFERENCES provider(name) ON DELETE CASCADE,
    state       VARCHAR(32)  NOT NULL,
    account     VARCHAR(256),
    expires_at  BIGINT,
    updated_at  BIGINT       NOT NULL
);

-- Every secret, sealed with AEAD bound to (owner_kind, owner_id, field). key_id mirrors the
-- ciphertext's key prefix so rotation and `keys status` need no decryption.
CREATE TABLE sealed_secret (
    owner_kind  VARCHAR(32)  NOT NULL,
    owner_id    VARCHAR(128) NOT NULL,
    field       VARCHAR(32)  NOT NULL,
    key_id      BIGINT       NOT NULL,
    ciphertext  BLOB         NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, field)
);
CREATE INDEX sealed_secret_key ON sealed_secret(key_id);

CREATE TABLE admin_credential (
    id          INTEGER      PRIMARY KEY,
    token_hash  VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE audit_event (
    id          INTEGER      PRIMARY KEY,
    at          BIGINT       NOT NULL,
    actor       VARCHAR(128) NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    target      VARCHAR(256),
    result      VARCHAR(32)  NOT NULL,
    origin      VARCHAR(128),
    detail      VARCHAR(1024)
);
CREATE INDEX audit_event_at ON audit_event(at);
