-- `/ticket open`'s cooldown per user, in the database so every replica sees it: reserved
-- with one conditional upsert when the form is shown.
CREATE TABLE open_cooldowns (
    user_id     INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    -- The `/ticket open` interaction holding it: its second delivery is not refused.
    origin      INTEGER NOT NULL DEFAULT 0
);
