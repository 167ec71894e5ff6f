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
    /// Set (Unix ms) while no configured key opens `sealed_token`; the link is kept so
    /// the right key can still open it.
    pub unreadable_since: Option<i64>,
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

/// Every link's user id and sealed token, read through one read-only connection and
/// without migrating, so `check-config` changes nothing (a running bot may share the
/// file). `None` when the database file does not exist yet.
pub async fn sealed_links_read_only(url: &str) -> Result<Option<Vec<(u64, Vec<u8>)>>, StoreError> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    if !super::sqlite_file(url).is_some_and(|p| p.exists()) {
        return Ok(None);
    }
    let mut conn = SqliteConnectOptions::from_str(url)
        .map_err(|_| StoreError::BadUrl(url.to_string()))?
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(5))
        .connect()
        .await?;
    let rows = sqlx::query("SELECT user_id, sealed_token FROM discord_links")
        .fetch_all(&mut conn)
        .await;
    // Closed either way; a failed close loses nothing on a read-only connection.
    let _ = conn.close().await;
    rows?
        .into_iter()
        .map(|r| {
            let uid: i64 = r.try_get("user_id")?;
            Ok((uid as u64, r.try_get("sealed_token")?))
        })
        .collect::<Result<Vec<_>, StoreError>>()
        .map(Some)
}

impl DiscordStore<'_> {
    pub async fn link(&self, user_id: u64) -> Result<Option<LinkRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT account_id, account_name, sealed_token, unreadable_since \
             FROM discord_links WHERE user_id = $1",
        )
        .bind(snowflake(user_id))
        .fetch_optional(&self.store.read)
        .await?;
        row.map(|r| {
            Ok(LinkRecord {
                account_id: r.try_get("account_id")?,
                account_name: r.try_get("account_name")?,
                sealed_token: r.try_get("sealed_token")?,
                unreadable_since: r.try_get("unreadable_since")?,
            })
        })
        .transpose()
    }

    /// Links (or re-links) a user; a fresh link is readable, so any mark goes.
    pub async fn save_link(&self, user_id: u64, link: &LinkRecord) -> Result<(), StoreError> {
        self.insert_link(user_id, link, true).await.map(|_| ())
    }

    /// Links a user unless a link already exists: the existing one wins, even one no key
    /// opens (it is the user's, and the right key may come back). True if this one was
    /// saved.
    pub async fn save_link_if_absent(
        &self,
        user_id: u64,
        link: &LinkRecord,
    ) -> Result<bool, StoreError> {
        self.insert_link(user_id, link, false).await
    }

    async fn insert_link(
        &self,
        user_id: u64,
        link: &LinkRecord,
        replace: bool,
    ) -> Result<bool, StoreError> {
        let on_conflict = if replace {
            "DO UPDATE SET account_id = excluded.account_id, \
             account_name = excluded.account_name, sealed_token = excluded.sealed_token, \
             created_at = excluded.created_at, unreadable_since = NULL"
        } else {
            "DO NOTHING"
        };
        let done = sqlx::query(&format!(
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
        Ok(done.rows_affected() > 0)
    }

    /// Replaces the sealed token `old` with `new` (same token, current key) and clears
    /// any mark. Only while the row still holds `old`: a link made meanwhile wins. True
    /// if it was replaced.
    pub async fn reseal_link(
        &self,
        user_id: u64,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE discord_links SET sealed_token = $3, unreadable_since = NULL \
             WHERE user_id = $1 AND sealed_token = $2",
        )
        .bind(snowflake(user_id))
        .bind(old)
        .bind(new)
        .execute(&self.store.write)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks the link unreadable (keeping the first time seen), only while it still
    /// holds `sealed`: a link made meanwhile is not marked. True if a row was marked.
    pub async fn mark_link_unreadable(
        &self,
        user_id: u64,
        sealed: &[u8],
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE discord_links SET unreadable_since = COALESCE(unreadable_since, $3) \
             WHERE user_id = $1 AND sealed_token = $2",
        )
        .bind(snowflake(user_id))
        .bind(sealed)
        .bind(now_millis())
        .execute(&self.store.write)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Clears the mark of a link that opens after all (the right key came back).
    pub async fn clear_link_mark(&self, user_id: u64, sealed: &[u8]) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE discord_links SET unreadable_since = NULL \
             WHERE user_id = $1 AND sealed_token = $2",
        )
        .bind(snowflake(user_id))
        .bind(sealed)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(sealed: &[u8]) -> LinkRecord {
        LinkRecord {
            account_id: "acc_1".into(),
            account_name: "Acme".into(),
            sealed_token: sealed.to_vec(),
            unreadable_since: None,
        }
    }

    #[tokio::test]
    async fn an_unreadable_mark_is_kept_by_auto_links_and_cleared_by_relinks_and_reseals() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/bot.db", dir.path().display());
        assert_eq!(sealed_links_read_only(&url).await.unwrap(), None);
        let store = Store::open(&url).await.unwrap();
        let d = store.discord();
        assert!(d.save_link_if_absent(1, &rec(b"old")).await.unwrap());

        // Marked only while the row holds what was tried; the first time is kept.
        assert!(!d.mark_link_unreadable(1, b"other").await.unwrap());
        assert_eq!(d.link(1).await.unwrap().unwrap().unreadable_since, None);
        assert!(d.mark_link_unreadable(1, b"old").await.unwrap());
        let since = d.link(1).await.unwrap().unwrap().unreadable_since;
        assert!(since.is_some());
        assert!(d.mark_link_unreadable(1, b"old").await.unwrap());
        assert_eq!(d.link(1).await.unwrap().unwrap().unreadable_since, since);

        // A sandbox auto-link never replaces it, marked or not.
        assert!(!d.save_link_if_absent(1, &rec(b"fresh")).await.unwrap());
        let kept = d.link(1).await.unwrap().unwrap();
        assert_eq!(
            (kept.sealed_token.as_slice(), kept.unreadable_since),
            (&b"old"[..], since)
        );

        // `/ticket link` replaces it and clears the mark.
        d.save_link(1, &rec(b"linked")).await.unwrap();
        assert_eq!(
            d.link(1).await.unwrap().unwrap(),
            rec(b"linked"),
            "relinked and unmarked"
        );

        // A re-seal replaces only what it opened, and clears the mark.
        d.mark_link_unreadable(1, b"linked").await.unwrap();
        assert!(!d.reseal_link(1, b"stale", b"new").await.unwrap());
        assert!(d.reseal_link(1, b"linked", b"new").await.unwrap());
        assert_eq!(d.link(1).await.unwrap().unwrap(), rec(b"new"));

        d.mark_link_unreadable(1, b"new").await.unwrap();
        d.clear_link_mark(1, b"new").await.unwrap();
        assert_eq!(d.link(1).await.unwrap().unwrap(), rec(b"new"));

        d.save_link(2, &rec(b"two")).await.unwrap();
        store.close().await;
        let mut rows = sealed_links_read_only(&url).await.unwrap().unwrap();
        rows.sort();
        assert_eq!(rows, [(1, b"new".to_vec()), (2, b"two".to_vec())]);
    }
}
