-- Accounts, login tokens and streams: the foundation's tables.
-- Times are UTC ISO-8601 text ("2026-11-24T10:52:35Z"), so they sort and
-- read the same in SQL and in the API.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Only a SHA-256 of each token is kept: a copy of the database gives no
-- usable token.
CREATE TABLE tokens (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE streams (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'live', 'ended')),
    stream_key  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    started_at  TEXT,
    ended_at    TEXT
);
CREATE INDEX streams_status ON streams(status, id);
CREATE INDEX streams_owner ON streams(owner_id, id);
