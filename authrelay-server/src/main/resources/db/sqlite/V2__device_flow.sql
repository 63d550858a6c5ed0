-- Device-flow providers, durable login sessions, refreshable connections and the db-scheduler table.
ALTER TABLE provider ADD COLUMN config TEXT;

ALTER TABLE credential ADD COLUMN scopes VARCHAR(1024);
ALTER TABLE credential ADD COLUMN refreshable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credential ADD COLUMN last_refresh_at BIGINT;
ALTER TABLE credential ADD COLUMN last_error VARCHAR(1024);
ALTER TABLE credential ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credential ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
-- The cross-replica refresh claim: only the owner of an unexpired claim may call the provider.
ALTER TABLE credential ADD COLUMN refresh_owner VARCHAR(64);
ALTER TABLE credential ADD COLUMN refresh_until BIGINT;

CREATE TABLE login_session (
    id                  VARCHAR(40)   PRIMARY KEY,
    provider            VARCHAR(63)   NOT NULL REFERENCES provider(name) ON DELETE CASCADE,
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
CREATE INDEX login_session_provider ON login_session(provider, created_at);
CREATE INDEX login_session_status ON login_session(status);

CREATE TABLE login_event (
    id          INTEGER       PRIMARY KEY,
    session_id  VARCHAR(40),
    provider    VARCHAR(63)   NOT NULL,
    at          BIGINT        NOT NULL,
    last_at     BIGINT        NOT NULL,
    count       INTEGER       NOT NULL DEFAULT 1,
    kind        VARCHAR(32)   NOT NULL,
    http_status INTEGER,
    code        VARCHAR(64),
    detail      VARCHAR(1024)
);
CREATE INDEX login_event_session ON login_event(session_id, id);
CREATE INDEX login_event_provider ON login_event(provider, id);

CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BLOB,
    execution_time       TIMESTAMP,
    picked               BIT,
    picked_by            VARCHAR(50),
    last_success         TIMESTAMP,
    last_failure         TIMESTAMP,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP,
    version              BIGINT,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

CREATE TABLE scheduler_heartbeat (
    id       INTEGER PRIMARY KEY,
    at       BIGINT  NOT NULL,
    replica  VARCHAR(64) NOT NULL
);
