//! The Discord front end's tables: linked accounts and pending reply attachments.

use sqlx::Row;

use super::{now_millis, Store, StoreError};

/// A Discord user's link to a Paradarum account. The token stays sealed here; only the
/// front end's cipher opens it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRecord {
    pub account_id: String,
    pub account_name: String,
    pub sealed_token: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAttachment {
    pub url: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
}

/// Pending attachments older than this are forgotten (Discord's interaction tokens last
/// 15 minutes; a modal left open longer cannot be answered anyway).
const PENDING_TTL_MS: i64 = 60 * 60 * 1000;

pub struct DiscordStore<'s> {
    pub(super) store: &'s Store,
}

fn snowflake(id: u64) -> i64 {
    // Discord ids are below 2^63, so they fit a signed 64-bit column unchanged.
    id as i64
}

impl DiscordStore<'_> {
    pub async fn link(&self, user_id: u64) -> Result<Option<LinkRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT account_id, account_name, sealed_token FROM discord_links WHERE user_id = $1",
        )
        .bind(snowflake(user_id))
        .fetch_optional(&self.store.read)
        .await?;
        row.map(|r| {
            Ok(LinkRecord {
                account_id: r.try_get("account_id")?,
                account_name: r.try_get("account_name")?,
                sealed_token: r.try_get("sealed_token")?,
            })
        })
        .transpose()
    }

    /// Links (or re-links) a user.
    pub async fn save_link(&self, user_id: u64, link: &LinkRecord) -> Result<(), StoreError> {
        self.insert_link(user_id, link, true).await
    }

    /// Links a user unless a link already exists (the existing one wins).
    pub async fn save_link_if_absent(
        &self,
        user_id: u64,
        link: &LinkRecord,
    ) -> Result<(), StoreError> {
        self.insert_link(user_id, link, false).await
    }

    async fn insert_link(
        &self,
        user_id: u64,
        link: &LinkRecord,
        replace: bool,
    ) -> Result<(), StoreError> {
        let on_conflict = if replace {
            "DO UPDATE SET account_id = excluded.account_id, \
             account_name = excluded.account_name, sealed_token = excluded.sealed_token, \
             created_at = excluded.created_at"
        } else {
            "DO NOTHING"
        };
        sqlx::query(&format!(
            "INSERT INTO discord_links (user_id, account_id, account_name, sealed_token, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) {on_conflict}"
        ))
        .bind(snowflake(user_id))
        .bind(&link.account_id)
        .bind(&link.account_name)
        .bind(&link.sealed_token)
        .bind(now_millis())
        .execute(&self.store.write)
        .await?;
        Ok(())
    }

    /// Removes a user's link; true if there was one.
    pub async fn delete_link(&self, user_id: u64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM discord_links WHERE user_id = $1")
            .bind(snowflake(user_id))
            .execute(&self.store.write)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn save_pending_attachment(
        &self,
        origin: u64,
        user_id: u64,
        a: &PendingAttachment,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        sqlx::query("DELETE FROM pending_attachments WHERE created_at < $1")
            .bind(now - PENDING_TTL_MS)
            .execute(&self.store.write)
            .await?;
        sqlx::query(
            "INSERT INTO pending_attachments \
             (origin, user_id, url, filename, content_type, size, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (origin) DO NOTHING",
        )
        .bind(snowflake(origin))
        .bind(snowflake(user_id))
        .bind(&a.url)
        .bind(&a.filename)
        .bind(&a.content_type)
        .bind(a.size as i64)
        .bind(now)
        .execute(&self.store.write)
        .await?;
        Ok(())
    }

    /// The attachment pending for `origin`, only for the user who gave it.
    pub async fn pending_attachment(
        &self,
        origin: u64,
        user_id: u64,
    ) -> Result<Option<PendingAttachment>, StoreError> {
        let row = sqlx::query(
            "SELECT url, filename, content_type, size FROM pending_attachments \
             WHERE origin = $1 AND user_id = $2 AND created_at >= $3",
        )
        .bind(snowflake(origin))
        .bind(snowflake(user_id))
        .bind(now_millis() - PENDING_TTL_MS)
        .fetch_optional(&self.store.read)
        .await?;
        row.map(|r| {
            let size: i64 = r.try_get("size")?;
            Ok(PendingAttachment {
                url: r.try_get("url")?,
                filename: r.try_get("filename")?,
                content_type: r.try_get("content_type")?,
                size: size.max(0) as u64,
            })
        })
        .transpose()
    }

    pub async fn forget_pending_attachment(&self, origin: u64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM pending_attachments WHERE origin = $1")
            .bind(snowflake(origin))
            .execute(&self.store.write)
            .await?;
        Ok(())
    }
}
