-- Several replicas on one database. Additive only: a replica of the previous version keeps working beside these.

-- Bumped in the same transaction as every revocation (a workspace revoked, rotated, ungranted or deleted; a
-- credential or provider removed). Each vend reads it with one primary-key lookup before trusting its read cache,
-- so a revocation on one replica refuses the very next vend on any other (LISTEN/NOTIFY is asynchronous).
CREATE TABLE cache_epoch (
    id     INTEGER PRIMARY KEY,
    epoch  BIGINT  NOT NULL
);
INSERT INTO cache_epoch(id, epoch) VALUES (1, 0);

-- Each running daemon, its heartbeat written every few seconds by the replica itself: status, doctor and the
-- ownership of AI-CLI login runs (processes that live on one replica) read liveness from it.
CREATE TABLE replica (
    id          VARCHAR(64)   PRIMARY KEY,
    address     VARCHAR(512),
    host        VARCHAR(255),
    version     VARCHAR(64)   NOT NULL,
    started_at  BIGINT        NOT NULL,
    last_seen   BIGINT        NOT NULL,
    -- its keyset's primary key: a reseal waits until every live replica seals under the promoted one
    primary_key_id BIGINT
);

-- The replica whose process runs an AI-CLI login, while it runs. Input for the run must reach that replica; when its
-- heartbeat stops, any replica ends the login failed. The row goes when the login ends (no foreign key: removing a
-- provider deletes its sessions explicitly, and nothing cascades).
CREATE TABLE cli_run_owner (
    session_id  VARCHAR(40)   PRIMARY KEY,
    replica     VARCHAR(64)   NOT NULL
);

-- One active login per provider, enforced by the database: on PostgreSQL (READ COMMITTED) two replicas starting a
-- login at once would otherwise both find none active and both insert. Duplicates a race may already have left are
-- closed first, keeping each provider's newest.
UPDATE login_session SET status = 'expired', reason = 'superseded by a newer login'
WHERE status IN ('pending', 'awaiting_user')
  AND EXISTS (SELECT 1 FROM login_session newer
              WHERE newer.provider = login_session.provider
                AND newer.status IN ('pending', 'awaiting_user')
                AND (newer.created_at > login_session.created_at
                     OR (newer.created_at = login_session.created_at AND newer.id > login_session.id)));
CREATE UNIQUE INDEX login_session_one_active ON login_session(provider) WHERE status IN ('pending', 'awaiting_user');

-- Web-console sign-ins, shared by every replica so that a browser behind a load balancer stays signed in wherever its
-- requests land. Only SHA-256 hashes of the cookie and of the tab secret are stored.
CREATE TABLE console_session (
    cookie_hash  VARCHAR(64)   PRIMARY KEY,
    tab_hash     VARCHAR(64)   NOT NULL,
    last_used    BIGINT        NOT NULL
);
CREATE INDEX console_session_last_used ON console_session(last_used);
