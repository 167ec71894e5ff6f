//! The front door's tables (#14): the panel message of each channel, and the prefilled
//! description "Open ticket from message" keeps between its two steps.

use super::{now_millis, Store, StoreError};

/// Prefills older than this are forgotten: the topic select is answered within minutes,
/// and a message's text should not linger in the bot's database.
pub const PREFILL_TTL_MS: i64 = 60 * 60 * 1000;

pub struct FrontDoorStore<'s> {
    pub(super) store: &'s Store,
}

fn snowflake(id: u64) -> i64 {
    // Discord ids are below 2^63, so they fit a signed 64-bit column unchanged.
    id as i64
}

impl FrontDoorStore<'_> {
    /// The panel message posted in `channel`, if one was.
    pub async fn panel(&self, channel: u64) -> Result<Option<u64>, StoreError> {
        let id: Option<i64> = on!(self.store, read, |db| {
            sqlx::query_scalar("SELECT message_id FROM ticket_panels WHERE channel_id = $1")
                .bind(snowflake(channel))
                .fetch_optional(db)
                .await?
        });
        Ok(id.map(|m| m as u64))
    }

    /// Remembers `message` as `channel`'s panel (replacing one that was deleted).
    pub async fn save_panel(
        &self,
        guild: u64,
        channel: u64,
        message: u64,
    ) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "INSERT INTO ticket_panels (channel_id, guild_id, message_id, updated_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (channel_id) DO UPDATE SET \
                 guild_id = excluded.guild_id, message_id = excluded.message_id, \
                 updated_at = excluded.updated_at",
            )
            .bind(snowflake(channel))
            .bind(snowflake(guild))
            .bind(snowflake(message))
            .bind(now_millis())
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Keeps `description` for the context-menu interaction `origin` of `user`, and
    /// forgets expired ones. A second delivery of the same interaction keeps the first.
    pub async fn save_prefill(
        &self,
        origin: u64,
        user: u64,
        description: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        on!(self.store, write, |db| {
            sqlx::query("DELETE FROM message_prefills WHERE created_at < $1")
                .bind(now - PREFILL_TTL_MS)
                .execute(db)
                .await?;
            sqlx::query(
                "INSERT INTO message_prefills (origin, user_id, description, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (origin) DO NOTHING",
            )
            .bind(snowflake(origin))
            .bind(snowflake(user))
            .bind(description)
            .bind(now)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// The prefill kept for `origin`, only for the user who asked for it and only while
    /// it has not expired.
    pub async fn prefill(&self, origin: u64, user: u64) -> Result<Option<String>, StoreError> {
        Ok(on!(self.store, read, |db| {
            sqlx::query_scalar(
                "SELECT description FROM message_prefills \
                 WHERE origin = $1 AND user_id = $2 AND created_at >= $3",
            )
            .bind(snowflake(origin))
            .bind(snowflake(user))
            .bind(now_millis() - PREFILL_TTL_MS)
            .fetch_optional(db)
            .await?
        }))
    }

    /// Test support: ages `origin`'s prefill by `ms`.
    #[cfg(test)]
    async fn age_prefill(&self, origin: u64, ms: i64) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE message_prefills SET created_at = created_at - $2 WHERE origin = $1",
            )
            .bind(snowflake(origin))
            .bind(ms)
            .execute(db)
            .await?;
        });
        Ok(())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::test_db::TestDb;
    use crate::store::Kind;

    pub(in crate::store) async fn panels_are_one_per_channel_and_prefills_are_the_owners_and_expire(
        kind: Kind,
    ) {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let f = store.front_door();
        let big = (1u64 << 62) + 7;
        assert_eq!(f.panel(big).await.unwrap(), None);
        f.save_panel(1, big, 10).await.unwrap();
        assert_eq!(f.panel(big).await.unwrap(), Some(10));
        // A re-post after the message was deleted replaces it: still one per channel.
        f.save_panel(1, big, 11).await.unwrap();
        assert_eq!(f.panel(big).await.unwrap(), Some(11));
        f.save_panel(1, 5, 12).await.unwrap();
        assert_eq!(f.panel(big).await.unwrap(), Some(11));

        f.save_prefill(100, 1, "first").await.unwrap();
        // A second delivery of the same interaction keeps the first text.
        f.save_prefill(100, 1, "second").await.unwrap();
        assert_eq!(f.prefill(100, 1).await.unwrap().as_deref(), Some("first"));
        assert_eq!(f.prefill(100, 2).await.unwrap(), None, "someone else's");
        assert_eq!(f.prefill(101, 1).await.unwrap(), None);
        f.age_prefill(100, PREFILL_TTL_MS + 1).await.unwrap();
        assert_eq!(f.prefill(100, 1).await.unwrap(), None, "expired");
        // The next save forgets it for good.
        f.save_prefill(102, 1, "new").await.unwrap();
        f.age_prefill(100, -(PREFILL_TTL_MS + 1)).await.unwrap();
        assert_eq!(f.prefill(100, 1).await.unwrap(), None, "deleted");
        assert_eq!(f.prefill(102, 1).await.unwrap().as_deref(), Some("new"));
        store.close().await;
    }
}
