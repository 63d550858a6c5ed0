-- AI-CLI logins: a session exists before its CLI prints a URL or a code, and some CLIs print only one of them.
-- Vendors' authorize URLs (with PKCE, state and scopes) run longer than device-flow verification URIs.
ALTER TABLE login_session ALTER COLUMN user_code DROP NOT NULL;
ALTER TABLE login_session ALTER COLUMN verification_uri DROP NOT NULL;
ALTER TABLE login_session ALTER COLUMN verification_uri TYPE VARCHAR(4096);
