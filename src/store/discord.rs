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

/// Every link's user id and sealed token, read through one connection and without
/// migrating, so `check-config` changes nothing (a running bot may share the database).
/// `None` when the database (SQLite: its file; PostgreSQL: the table) does not exist yet.
pub async fn sealed_links_read_only(url: &str) -> Result<Option<Vec<(u64, Vec<u8>)>>, StoreError> {
    use sqlx::postgres::PgConnectOptions;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    const SQL: &str = "SELECT user_id, sealed_token FROM discord_links";
    let bad = || StoreError::BadUrl(url.to_string());
    let rows: Vec<(i64, Vec<u8>)> = match super::Kind::of(url) {
        Some(super::Kind::Postgres) => {
            let mut conn = PgConnectOptions::from_str(url)
                .map_err(|_| bad())?
                .connect()
                .await?;
            let rows = sqlx::query_as(SQL).fetch_all(&mut conn).await;
            let _ = conn.close().await;
            match rows {
                // 42P01 undefined_table: the bot never started against this database.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => {
                    return Ok(None)
                }
                rows => rows?,
            }
        }
        Some(super::Kind::Sqlite) => {
            if !super::sqlite_file(url).is_some_and(|p| p.exists()) {
                return Ok(None);
            }
            let mut conn = SqliteConnectOptions::from_str(url)
                .map_err(|_| bad())?
                .read_only(true)
                .create_if_missing(false)
                .busy_timeout(std::time::Duration::from_secs(5))
                .connect()
                .await?;
            let rows = sqlx::query_as(SQL).fetch_all(&mut conn).await;
            // Closed either way; a failed close loses nothing on a read-only connection.
            let _ = conn.close().await;
            rows?
        }
        None => return Err(bad()),
    };
    Ok(Some(
        rows.into_iter()
            .map(|(uid, sealed)| (uid as u64, sealed))
            .collect(),
    ))
}

impl DiscordStore<'_> {
    pub async fn link(&self, user_id: u64) -> Result<Option<LinkRecord>, StoreError> {
        on!(self.store, read, |db| {
            let row = sqlx::query(
                "SELECT account_id, account_name, sealed_token, unreadable_since \
                 FROM discord_links WHERE user_id = $1",
            )
            .bind(snowflake(user_id))
            .fetch_optional(db)
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
        })
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
        let sql = format!(
            "INSERT INTO discord_links (user_id, account_id, account_name, sealed_token, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) {on_conflict}"
        );
        let done = on!(self.store, write, |db| {
            sqlx::query(&sql)
                .bind(snowflake(user_id))
                .bind(&link.account_id)
                .bind(&link.account_name)
                .bind(&link.sealed_token)
                .bind(now_millis())
                .execute(db)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
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
        let done = on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE discord_links SET sealed_token = $3, unreadable_since = NULL \
                 WHERE user_id = $1 AND sealed_token = $2",
            )
            .bind(snowflake(user_id))
            .bind(old)
            .bind(new)
            .execute(db)
            .await?
            .rows_affected()
        });
        Ok(done > 0)
    }

    /// Marks the link unreadable (keeping the first time seen), only while it still
    /// holds `sealed`: a link made meanwhile is not marked. True if a row was marked.
    pub async fn mark_link_unreadable(
        &self,
        user_id: u64,
        sealed: &[u8],
    ) -> Result<bool, StoreError> {
        let done = on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE discord_links SET unreadable_since = COALESCE(unreadable_since, $3) \
                 WHERE user_id = $1 AND sealed_token = $2",
            )
            .bind(snowflake(user_id))
            .bind(sealed)
            .bind(now_millis())
            .execute(db)
            .await?
            .rows_affected()
        });
        Ok(done > 0)
    }

    /// Clears the mark of a link that opens after all (the right key came back).
    pub async fn clear_link_mark(&self, user_id: u64, sealed: &[u8]) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE discord_links SET unreadable_since = NULL \
                 WHERE user_id = $1 AND sealed_token = $2",
            )
            .bind(snowflake(user_id))
            .bind(sealed)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Removes a user's link; true if there was one.
    pub async fn delete_link(&self, user_id: u64) -> Result<bool, StoreError> {
        let done = on!(self.store, write, |db| {
            sqlx::query("DELETE FROM discord_links WHERE user_id = $1")
                .bind(snowflake(user_id))
                .execute(db)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    pub async fn save_pending_attachment(
        &self,
        origin: u64,
        user_id: u64,
        a: &PendingAttachment,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        on!(self.store, write, |db| {
            sqlx::query("DELETE FROM pending_attachments WHERE created_at < $1")
                .bind(now - PENDING_TTL_MS)
                .execute(db)
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
            .bind(i64::try_from(a.size).unwrap_or(i64::MAX))
            .bind(now)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// The attachment pending for `origin`, only for the user who gave it.
    pub async fn pending_attachment(
        &self,
        origin: u64,
        user_id: u64,
    ) -> Result<Option<PendingAttachment>, StoreError> {
        on!(self.store, read, |db| {
            let row = sqlx::query(
                "SELECT url, filename, content_type, size FROM pending_attachments \
                 WHERE origin = $1 AND user_id = $2 AND created_at >= $3",
            )
            .bind(snowflake(origin))
            .bind(snowflake(user_id))
            .bind(now_millis() - PENDING_TTL_MS)
            .fetch_optional(db)
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
        })
    }

    pub async fn forget_pending_attachment(&self, origin: u64) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query("DELETE FROM pending_attachments WHERE origin = $1")
                .bind(snowflake(origin))
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// How long `user_id`'s `/ticket open` cooldown of `cooldown_ms` still holds, unless
    /// interaction `origin` holds it (its own second delivery). Reads only.
    pub async fn cooldown_left(
        &self,
        user_id: u64,
        origin: u64,
        cooldown_ms: i64,
    ) -> Result<Option<i64>, StoreError> {
        let now = now_millis();
        let row: Option<(i64, i64)> = on!(self.store, read, |db| {
            sqlx::query_as("SELECT started_at, origin FROM open_cooldowns WHERE user_id = $1")
                .bind(snowflake(user_id))
                .fetch_optional(db)
                .await?
        });
        Ok(row
            .filter(|&(_, held_by)| held_by != snowflake(origin))
            .map(|(started, _)| started + cooldown_ms - now)
            .filter(|&left| left > 0))
    }

    /// Reserves `/ticket open` for `user_id` and interaction `origin` unless a cooldown of
    /// `cooldown_ms` another interaction started less than that ago: one conditional
    /// upsert, so two replicas (or two forms) cannot both pass. `Err(ms left)` if taken.
    pub async fn reserve_cooldown(
        &self,
        user_id: u64,
        origin: u64,
        cooldown_ms: i64,
    ) -> Result<Result<(), i64>, StoreError> {
        let now = now_millis();
        on!(self.store, write, |db| {
            let done = sqlx::query(
                "INSERT INTO open_cooldowns (user_id, started_at, origin) VALUES ($1, $2, $4) \
                 ON CONFLICT (user_id) DO UPDATE SET started_at = excluded.started_at, \
                 origin = excluded.origin \
                 WHERE open_cooldowns.started_at <= $3 OR open_cooldowns.origin = $4",
            )
            .bind(snowflake(user_id))
            .bind(now)
            .bind(now - cooldown_ms)
            .bind(snowflake(origin))
            .execute(db)
            .await?;
            if done.rows_affected() > 0 {
                return Ok(Ok(()));
            }
            let started: Option<i64> =
                sqlx::query_scalar("SELECT started_at FROM open_cooldowns WHERE user_id = $1")
                    .bind(snowflake(user_id))
                    .fetch_optional(db)
                    .await?;
            // Gone meanwhile (pruned): the next try reserves it.
            Ok(Err(started.map_or(1, |s| (s + cooldown_ms - now).max(1))))
        })
    }

    /// Starts the cooldown now for interaction `origin` (a ticket was opened) and forgets
    /// cooldowns older than `forget_ms`, so the table does not grow with every user ever
    /// seen.
    pub async fn start_cooldown(
        &self,
        user_id: u64,
        origin: u64,
        forget_ms: i64,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        on!(self.store, write, |db| {
            sqlx::query("DELETE FROM open_cooldowns WHERE started_at < $1")
                .bind(now - forget_ms)
                .execute(db)
                .await?;
            sqlx::query(
                "INSERT INTO open_cooldowns (user_id, started_at, origin) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET started_at = excluded.started_at, \
                 origin = excluded.origin",
            )
            .bind(snowflake(user_id))
            .bind(now)
            .bind(snowflake(origin))
            .execute(db)
            .await?;
        });
        Ok(())
    }
}

/// Whose language a row of `locales` remembers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocaleOf {
    /// A customer: their DMs use the locale of their last interaction.
    User(u64),
    /// A server: its preferred locale, for staff messages when none is configured.
    Guild(u64),
}

impl LocaleOf {
    fn key(self) -> (&'static str, i64) {
        match self {
            LocaleOf::User(id) => ("user", snowflake(id)),
            LocaleOf::Guild(id) => ("guild", snowflake(id)),
        }
    }
}

impl DiscordStore<'_> {
    /// Remembers `locale` (a Discord locale id) for `of`, replacing what was there.
    pub async fn save_locale(&self, of: LocaleOf, locale: &str) -> Result<(), StoreError> {
        let (scope, id) = of.key();
        let now = now_millis();
        on!(self.store, write, |db| {
            sqlx::query(
                "INSERT INTO locales (scope, id, locale, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (scope, id) DO UPDATE SET locale = excluded.locale, \
                 updated_at = excluded.updated_at",
            )
            .bind(scope)
            .bind(id)
            .bind(locale)
            .bind(now)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// The locale remembered for `of`, if any.
    pub async fn locale(&self, of: LocaleOf) -> Result<Option<String>, StoreError> {
        let (scope, id) = of.key();
        on!(self.store, read, |db| {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT locale FROM locales WHERE scope = $1 AND id = $2")
                    .bind(scope)
                    .bind(id)
                    .fetch_optional(db)
                    .await?;
            Ok(row.map(|(l,)| l))
        })
    }

    /// Every server's remembered locale (guild id, locale), most recently seen first.
    pub async fn guild_locales(&self) -> Result<Vec<(u64, String)>, StoreError> {
        on!(self.store, read, |db| {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, locale FROM locales WHERE scope = 'guild' \
                 ORDER BY updated_at DESC, id",
            )
            .fetch_all(db)
            .await?;
            Ok(rows.into_iter().map(|(g, l)| (g as u64, l)).collect())
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::test_db::TestDb;
    use crate::store::Kind;

    fn rec(sealed: &[u8]) -> LinkRecord {
        LinkRecord {
            account_id: "acc_1".into(),
            account_name: "Acme".into(),
            sealed_token: sealed.to_vec(),
            unreadable_since: None,
        }
    }

    pub(in crate::store) async fn an_unreadable_mark_is_kept_by_auto_links_and_cleared_by_relinks_and_reseals(
        kind: Kind,
    ) {
        let db = TestDb::new(kind).await;
        let url = db.url();
        assert_eq!(sealed_links_read_only(&url).await.unwrap(), None);
        let store = db.open().await;
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

        // A Discord id above 2^63 does not exist; the largest real ones round-trip.
        let big = (1u64 << 62) + 5;
        d.save_link(big, &rec(b"two")).await.unwrap();
        assert!(d.delete_link(7).await.is_ok_and(|gone| !gone));
        store.close().await;
        let mut rows = sealed_links_read_only(&url).await.unwrap().unwrap();
        rows.sort();
        assert_eq!(rows, [(1, b"new".to_vec()), (big, b"two".to_vec())]);
    }
}
