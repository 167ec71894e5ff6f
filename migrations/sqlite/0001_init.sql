-- The sandbox ticket API's data (tables prefixed `sandbox_`) and the bot's own state.
-- Times are unix milliseconds (INTEGER) so the SQL stays portable.

CREATE TABLE sandbox_accounts (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE sandbox_properties (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES sandbox_accounts(id),
    name        TEXT NOT NULL
);
CREATE INDEX sandbox_properties_account ON sandbox_properties(account_id);

-- Tokens are stored as SHA-256 hashes; account_id is NULL for integration tokens.
CREATE TABLE sandbox_tokens (
    token_hash  TEXT PRIMARY KEY,
    account_id  TEXT REFERENCES sandbox_accounts(id),
    scopes      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE sandbox_tickets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL REFERENCES sandbox_accounts(id),
    topic       INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    property_id TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX sandbox_tickets_account_updated ON sandbox_tickets(account_id, updated_at, id);
CREATE INDEX sandbox_tickets_updated ON sandbox_tickets(updated_at, id);

CREATE TABLE sandbox_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   INTEGER NOT NULL REFERENCES sandbox_tickets(id),
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    attachments TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX sandbox_messages_ticket ON sandbox_messages(ticket_id, id);

-- AUTOINCREMENT: event sequence numbers only ever grow, even after deletes.
CREATE TABLE sandbox_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type  TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL,
    account_id  TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    data        TEXT NOT NULL
);

CREATE TABLE sandbox_idempotency (
    account_id  TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, idem_key)
);

-- Small named values: the sandbox's webhook cursor, the bot's heartbeat.
CREATE TABLE kv_state (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
