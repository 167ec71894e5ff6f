-- Languages the bot writes in when no interaction says (#14): a customer's DMs use the
-- locale of their last interaction (scope 'user'); staff messages fall back to a server's
-- preferred locale (scope 'guild'). Values are Discord locale ids (`pt-BR`).
CREATE TABLE locales (
    scope       TEXT NOT NULL,
    id          BIGINT NOT NULL,
    locale      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (scope, id)
);
