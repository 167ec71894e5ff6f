-- A write whose outcome was unknown (timeout, 5xx, broken answer), kept so the user's
-- "Try again" resends exactly it under the same idempotency key. Forgotten after 24 h,
-- the ticket API's idempotency window.
CREATE TABLE kept_submissions (
    origin      INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    backend     TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX kept_submissions_created ON kept_submissions (created_at);
