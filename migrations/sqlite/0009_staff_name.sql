-- The sandbox's `messages.staff_name` extension (#13): the name a staff reply was signed
-- with, shown to the customer. NULL for every other message (and every older one).
ALTER TABLE sandbox_messages ADD COLUMN staff_name TEXT;
