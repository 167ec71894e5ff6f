//! Writes whose outcome was unknown, kept for the user's *Try again* (see
//! `discord::commands::retry`): the same request under the same idempotency key.

use super::{now_millis, Store, StoreError};
use serde::{Deserialize, Serialize};

/// Kept as long as the ticket API honours an idempotency key.
pub const KEPT_TTL_MS: i64 = 24 * 60 * 60 * 1000;

/// A file given with a reply: where Discord has it (fetched again on a retry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptFile {
    pub url: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
}

/// What the user submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Submission {
    Open {
        topic: i64,
        subject: String,
        message: String,
        property_id: Option<String>,
    },
    Reply {
        ticket: u64,
        body: String,
        file: Option<KeptFile>,
    },
    Close {
        ticket: u64,
    },
}

/// A kept submission and what it must be resent with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub user_id: u64,
    pub backend: String,
    pub idem_key: String,
    pub submission: Submission,
}

pub struct KeptStore<'s> {
    pub(super) store: &'s Store,
}

impl KeptStore<'_> {
    /// Keeps `kept` under `origin` (the first one kept wins: a retry that fails again
    /// keeps the original).
    pub async fn keep(&self, origin: u64, kept: &Kept) -> Result<(), StoreError> {
        let now = now_millis();
        let payload = serde_json::to_string(&kept.submission)
            .map_err(|e| StoreError::Corrupt(format!("kept submission: {e}")))?;
        on!(self.store, write, |db| {
            sqlx::query("DELETE FROM kept_submissions WHERE created_at < $1")
                .bind(now - KEPT_TTL_MS)
                .execute(db)
                .await?;
            sqlx::query(
                "INSERT INTO kept_submissions (origin, user_id, backend, idem_key, payload, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (origin) DO NOTHING",
            )
            .bind(origin as i64)
            .bind(kept.user_id as i64)
            .bind(&kept.backend)
            .bind(&kept.idem_key)
            .bind(&payload)
            .bind(now)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// The submission kept under `origin`, if it is still within the window.
    pub async fn get(&self, origin: u64) -> Result<Option<Kept>, StoreError> {
        let row: Option<(i64, String, String, String)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT user_id, backend, idem_key, payload FROM kept_submissions \
                 WHERE origin = $1 AND created_at >= $2",
            )
            .bind(origin as i64)
            .bind(now_millis() - KEPT_TTL_MS)
            .fetch_optional(db)
            .await?
        });
        let Some((user_id, backend, idem_key, payload)) = row else {
            return Ok(None);
        };
        let submission = serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("kept submission {origin}: {e}")))?;
        Ok(Some(Kept {
            user_id: user_id as u64,
            backend,
            idem_key,
            submission,
        }))
    }
}
