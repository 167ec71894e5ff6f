-- Notifications belong to a backend (the ticket API an event came from): event ids,
-- ticket ids and cursors of one API mean nothing on another. Rows written before this
-- migration get backend '' and are adopted, once, by the backend configured at the next
-- start (see NotifyStore::adopt_legacy).

-- The inbox, keyed by (backend, event id), with per-event retry state so one failing
-- ticket never holds back the others.
CREATE TABLE inbox_events_v2 (
    backend         TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    ticket_id       INTEGER NOT NULL,
    source          TEXT NOT NULL,
    payload         TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    processed_at    INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    PRIMARY KEY (backend, event_id)
);
INSERT INTO inbox_events_v2 (backend, event_id, seq, ticket_id, source, payload, received_at,
                             processed_at)
    SELECT '', event_id, seq, COALESCE(json_extract(payload, '$.ticketId'), 0), source, payload,
           received_at, processed_at
    FROM inbox_events;
DROP TABLE inbox_events;
ALTER TABLE inbox_events_v2 RENAME TO inbox_events;
CREATE INDEX inbox_unprocessed ON inbox_events(processed_at, backend, seq);
CREATE INDEX inbox_by_ticket ON inbox_events(backend, ticket_id, processed_at, seq);
CREATE INDEX inbox_processed_at ON inbox_events(processed_at);

-- Which backend a job's ticket belongs to (DMs are checked against it before sending).
ALTER TABLE outbox_jobs ADD COLUMN backend TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_finished ON outbox_jobs(state, sent_at);

-- Who opened a ticket from Discord: per backend and account. A DM goes out only while the
-- user is still linked to that account; the record lives until some time after the
-- ticket is Closed.
CREATE TABLE ticket_openers (
    backend     TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL,
    account_id  TEXT NOT NULL,
    user_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER,
    PRIMARY KEY (backend, ticket_id)
);
INSERT INTO ticket_openers (backend, ticket_id, account_id, user_id, created_at)
    SELECT '', d.ticket_id, COALESCE(l.account_id, ''), d.user_id, d.created_at
    FROM discord_tickets d LEFT JOIN discord_links l ON l.user_id = d.user_id;
DROP TABLE discord_tickets;
CREATE INDEX ticket_openers_closed ON ticket_openers(closed_at);

-- DM channels are forgotten when unused for the retention period; users whose DMs are
-- closed (Discord 50007) are not tried again until `closed_until`.
ALTER TABLE dm_channels ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0;
-- Channels known before this migration count as used now (not as ancient).
UPDATE dm_channels SET used_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
CREATE TABLE dm_closed (
    user_id       INTEGER PRIMARY KEY,
    closed_until  INTEGER NOT NULL
);

-- The sandbox's feed is read `since` a time and pruned by age.
CREATE INDEX sandbox_events_occurred ON sandbox_events(occurred_at);
