-- Replies and closes take an Idempotency-Key too (capability `tickets.idempotent_writes`).
-- One table, so a key names one request per caller whatever the operation: a key first
-- used to create a ticket and then for a reply is a conflict, not a second effect.

-- A key belongs to a caller: the account for customer tokens (as before), `int:<token
-- hash>` for an integration token, `admin` for the sandbox admin token.
ALTER TABLE sandbox_idempotency RENAME COLUMN account_id TO caller;

-- The first answer, replayed verbatim to a retry. NULL for ticket creation, which answers
-- the ticket by id.
ALTER TABLE sandbox_idempotency ADD COLUMN response_status INTEGER;
ALTER TABLE sandbox_idempotency ADD COLUMN response_body TEXT;

-- Expired keys are deleted by age on every keyed write.
CREATE INDEX sandbox_idempotency_created ON sandbox_idempotency(created_at);
