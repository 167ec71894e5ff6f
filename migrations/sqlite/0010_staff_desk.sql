-- Staff work tickets from their notices (#13).

-- The single-ticket staff notices the bot posted, so every later event of the ticket
-- edits them in place. A notice Discord no longer has (404) is forgotten.
CREATE TABLE staff_notices (
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    backend     TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel_id, message_id)
);
CREATE INDEX staff_notices_ticket ON staff_notices(backend, ticket_id);

-- Every action taken from Discord on a notice: who did what to which ticket, and how it
-- ended (`pending` until the API answered), so a notice and a stale press can name who
-- acted.
CREATE TABLE staff_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    backend     TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL,
    action      TEXT NOT NULL,
    user_id     INTEGER NOT NULL,
    user_name   TEXT NOT NULL,
    -- The status the action sets (API value), for Start and Resolve.
    to_status   INTEGER,
    outcome     TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX staff_actions_ticket ON staff_actions(backend, ticket_id, id);
