-- Discord users linked to a Paradarum account. The API token is encrypted (AES-256-GCM,
-- BOT_SECRET_KEY) and bound to the user id.
CREATE TABLE discord_links (
    user_id       INTEGER PRIMARY KEY,
    account_id    TEXT NOT NULL,
    account_name  TEXT NOT NULL,
    sealed_token  BLOB NOT NULL,
    created_at    INTEGER NOT NULL
);

-- An attachment given to `/ticket reply`, kept until its modal is submitted (so a restart
-- between the two loses nothing).
CREATE TABLE pending_attachments (
    origin        INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL,
    url           TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
