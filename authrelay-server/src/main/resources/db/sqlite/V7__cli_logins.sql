-- AI-CLI logins: a session exists before its CLI prints a URL or a code, and some CLIs print only one of them.
-- Vendors' authorize URLs (with PKCE, state and scopes) run longer than device-flow verification URIs.
CREATE TABLE login_session_v7 (
    id                  VARCHAR(40)   PRIMARY KEY,
    provider            VARCHAR(63)   NOT NULL REFERENCES provider(name),
    status              VARCHAR(16)   NOT NULL,
    user_code           VARCHAR(64),
    verification_uri    VARCHAR(4096),
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
INSERT INTO login_session_v7 (id, provider, status, user_code, verification_uri, verification_uri_complete, expires_at,
                              interval_ms, next_poll_at, polls, consecutive_failures, last_result, reason, account,
                              created_at, updated_at)
SELECT id, provider, status, user_code, verification_uri, verification_uri_complete, expires_at,
       interval_ms, next_poll_at, polls, consecutive_failures, last_result, reason, account,
       created_at, updated_at
FROM login_session;
DROP TABLE login_session;
ALTER TABLE login_session_v7 RENAME TO login_session;
CREATE INDEX login_session_provider ON login_session(provider, created_at);
CREATE INDEX login_session_status ON login_session(status);
