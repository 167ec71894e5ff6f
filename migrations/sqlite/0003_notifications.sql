-- Events from webhooks and the events feed, each once (keyed by event id).
CREATE TABLE inbox_events (
    event_id      TEXT PRIMARY KEY,
    seq           INTEGER NOT NULL,
    source        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    processed_at  INTEGER
);
CREATE INDEX inbox_unprocessed ON inbox_events(processed_at, seq);

-- Messages to send, written in the same transaction that marks their event processed.
-- state: pending → sending (in a batch, nonce fixed) → sent | parked | failed.
CREATE TABLE outbox_jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    target          INTEGER NOT NULL,
    ticket_id       INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    batch_id        INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_by_state ON outbox_jobs(state, target, id);

-- Tickets opened from Discord, and by whom (for DMs and "opened by" in staff messages).
CREATE TABLE discord_tickets (
    ticket_id   INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

-- DM channel per user, so a DM needs one Discord call, not two.
CREATE TABLE dm_channels (
    user_id     INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL
);
