-- A link whose token no configured key opens (BOT_SECRET_KEY changed, or one replica has
-- the wrong key) is kept, never deleted: the right key may come back and open it. It is
-- marked with when that was first seen (Unix ms); re-sealing or linking again clears it.
ALTER TABLE discord_links ADD COLUMN unreadable_since INTEGER;
