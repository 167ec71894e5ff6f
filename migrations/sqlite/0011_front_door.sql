-- Issue #14, the front door.
-- `/ticket panel`: the one panel message of each channel, so a re-post edits it in place.
CREATE TABLE ticket_panels (
    channel_id  INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- "Open ticket from message": the form's prefilled description, kept between the topic
-- select and the form (any replica may answer the second step), keyed by the context-menu
-- interaction. Rows older than an hour are forgotten.
CREATE TABLE message_prefills (
    origin      INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
