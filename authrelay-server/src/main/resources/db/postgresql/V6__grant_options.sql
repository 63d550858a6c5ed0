-- A path-limited grant serves requests that name only the provider (exec) only when the admin said so.
ALTER TABLE workspace_grant ADD COLUMN allow_exec INTEGER NOT NULL DEFAULT 0;
