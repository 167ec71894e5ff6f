//! The notification pipeline's tables: the inbox (events, once each), the outbox (jobs,
//! written with the event's processing), tickets opened from Discord, and DM channels.

use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{now_millis, Store, StoreError};
use crate::ticket::api::{Event, TicketId};

/// An event waiting in the inbox.
#[derive(Clone, Debug)]
pub struct InboxEvent {
    pub event: Event,
    pub received_at: i64,
}

/// A job to be written to the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    /// Unique per ticket, event and kind: writing the same job twice keeps one.
    pub dedupe_key: String,
    pub kind: String,
    /// A channel id (staff messages) or a user id (DMs).
    pub target: u64,
    pub ticket_id: TicketId,
    pub payload: serde_json::Value,
    pub received_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub target: u64,
    pub ticket_id: TicketId,
    pub payload: serde_json::Value,
    pub batch_id: Option<i64>,
    pub attempts: i64,
    pub received_at: i64,
}

pub struct NotifyStore<'s> {
    pub(super) store: &'s Store,
}

const JOB_COLUMNS: &str = "id, kind, target, ticket_id, payload, batch_id, attempts, received_at";

fn job_from_row(r: &SqliteRow) -> Result<Job, StoreError> {
    let payload: String = r.try_get("payload")?;
    let target: i64 = r.try_get("target")?;
    let ticket: i64 = r.try_get("ticket_id")?;
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        target: target as u64,
        ticket_id: ticket as TicketId,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("outbox payload: {e}")))?,
        batch_id: r.try_get("batch_id")?,
        attempts: r.try_get("attempts")?,
        received_at: r.try_get("received_at")?,
    })
}

impl NotifyStore<'_> {
    /// Stores events not seen before (by id) and, in the same transaction, the feed's
    /// cursor. Returns how many were new.
    pub async fn receive(
        &self,
        events: &[Event],
        source: &str,
        cursor: Option<(&str, &str)>,
    ) -> Result<usize, StoreError> {
        let now = now_millis();
        let mut tx = self.store.write.begin().await?;
        let mut fresh = 0;
        for e in events {
            let payload = serde_json::to_string(e)
                .map_err(|err| StoreError::Corrupt(format!("event {}: {err}", e.id)))?;
            let done = sqlx::query(
                "INSERT INTO inbox_events (event_id, seq, source, payload, received_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING",
            )
            .bind(&e.id)
            .bind(e.sequence().map_or(0, |s| s as i64))
            .bind(source)
            .bind(payload)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            fresh += done.rows_affected() as usize;
        }
        if let Some((name, value)) = cursor {
            sqlx::query(
                "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(name)
            .bind(value)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(fresh)
    }

    /// Unprocessed events, oldest first.
    pub async fn unprocessed(&self, limit: u32) -> Result<Vec<InboxEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT payload, received_at FROM inbox_events WHERE processed_at IS NULL \
             ORDER BY seq, event_id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.store.read)
        .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                Ok(InboxEvent {
                    event: serde_json::from_str(&payload)
                        .map_err(|e| StoreError::Corrupt(format!("inbox payload: {e}")))?,
                    received_at: r.try_get("received_at")?,
                })
            })
            .collect()
    }

    /// Writes an event's jobs and marks it processed, all or nothing.
    pub async fn complete(&self, event_id: &str, jobs: &[NewJob]) -> Result<(), StoreError> {
        let now = now_millis();
        let mut tx = self.store.write.begin().await?;
        for j in jobs {
            sqlx::query(
                "INSERT INTO outbox_jobs (dedupe_key, kind, target, ticket_id, payload, state, \
                 next_attempt_at, received_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $6) \
                 ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(&j.dedupe_key)
            .bind(&j.kind)
            .bind(j.target as i64)
            .bind(j.ticket_id as i64)
            .bind(j.payload.to_string())
            .bind(now)
            .bind(j.received_at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE inbox_events SET processed_at = $1 WHERE event_id = $2")
            .bind(now)
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Batches already formed (their nonce is fixed) that are due to be sent (again).
    pub async fn due_batches(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT batch_id FROM outbox_jobs \
             WHERE state = 'sending' AND next_attempt_at <= $1 ORDER BY batch_id",
        )
        .bind(now)
        .fetch_all(&self.store.read)
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64, _>("batch_id")?))
            .collect()
    }

    /// Targets (kind, target) with pending jobs and no batch in flight.
    pub async fn due_targets(&self, now: i64) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, target, MIN(id) AS first FROM outbox_jobs p \
             WHERE state = 'pending' AND next_attempt_at <= $1 \
               AND NOT EXISTS (SELECT 1 FROM outbox_jobs s WHERE s.state = 'sending' \
                               AND s.kind = p.kind AND s.target = p.target) \
             GROUP BY kind, target ORDER BY first",
        )
        .bind(now)
        .fetch_all(&self.store.read)
        .await?;
        rows.iter()
            .map(|r| {
                let t: i64 = r.try_get("target")?;
                Ok((r.try_get("kind")?, t as u64))
            })
            .collect()
    }

    pub async fn pending_jobs(
        &self,
        kind: &str,
        target: u64,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM outbox_jobs \
             WHERE state = 'pending' AND kind = $1 AND target = $2 ORDER BY id LIMIT $3"
        ))
        .bind(kind)
        .bind(target as i64)
        .bind(i64::from(limit))
        .fetch_all(&self.store.read)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Fixes a batch (its id is its first job's id, and so is its nonce) before sending,
    /// so a crash after the send resends exactly the same message.
    pub async fn start_batch(&self, job_ids: &[i64]) -> Result<i64, StoreError> {
        let batch = *job_ids
            .iter()
            .min()
            .ok_or_else(|| StoreError::Corrupt("empty batch".into()))?;
        let mut tx = self.store.write.begin().await?;
        for id in job_ids {
            sqlx::query(
                "UPDATE outbox_jobs SET state = 'sending', batch_id = $1 \
                 WHERE id = $2 AND state = 'pending'",
            )
            .bind(batch)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(batch)
    }

    pub async fn batch_jobs(&self, batch_id: i64) -> Result<Vec<Job>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM outbox_jobs WHERE batch_id = $1 AND state = 'sending' \
             ORDER BY id"
        ))
        .bind(batch_id)
        .fetch_all(&self.store.read)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Ends a batch: `sent`, or `parked` / `failed` when it must not be retried.
    pub async fn finish_batch(&self, batch_id: i64, state: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox_jobs SET state = $1, sent_at = $2 WHERE batch_id = $3 AND state = 'sending'",
        )
        .bind(state)
        .bind(now_millis())
        .bind(batch_id)
        .execute(&self.store.write)
        .await?;
        Ok(())
    }

    pub async fn retry_batch_at(&self, batch_id: i64, at: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox_jobs SET attempts = attempts + 1, next_attempt_at = $1 \
             WHERE batch_id = $2 AND state = 'sending'",
        )
        .bind(at)
        .bind(batch_id)
        .execute(&self.store.write)
        .await?;
        Ok(())
    }

    /// Parks every unsent job for a target Discord refuses (403/404).
    pub async fn park_target(&self, kind: &str, target: u64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox_jobs SET state = 'parked' \
             WHERE kind = $1 AND target = $2 AND state IN ('pending', 'sending')",
        )
        .bind(kind)
        .bind(target as i64)
        .execute(&self.store.write)
        .await?;
        Ok(done.rows_affected())
    }

    /// Jobs not yet sent (pending or in a batch).
    pub async fn depth(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox_jobs WHERE state IN ('pending', 'sending')",
        )
        .fetch_one(&self.store.read)
        .await?)
    }

    /// Targets whose jobs were parked, for operators.
    pub async fn parked_targets(&self) -> Result<Vec<(String, u64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, target, COUNT(*) AS n FROM outbox_jobs WHERE state = 'parked' \
             GROUP BY kind, target ORDER BY kind, target",
        )
        .fetch_all(&self.store.read)
        .await?;
        rows.iter()
            .map(|r| {
                let t: i64 = r.try_get("target")?;
                Ok((r.try_get("kind")?, t as u64, r.try_get("n")?))
            })
            .collect()
    }

    pub async fn remember_opener(&self, ticket: TicketId, user_id: u64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO discord_tickets (ticket_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (ticket_id) DO NOTHING",
        )
        .bind(ticket as i64)
        .bind(user_id as i64)
        .bind(now_millis())
        .execute(&self.store.write)
        .await?;
        Ok(())
    }

    pub async fn opener(&self, ticket: TicketId) -> Result<Option<u64>, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM discord_tickets WHERE ticket_id = $1")
                .bind(ticket as i64)
                .fetch_optional(&self.store.read)
                .await?;
        Ok(v.map(|u| u as u64))
    }

    pub async fn dm_channel(&self, user_id: u64) -> Result<Option<u64>, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT channel_id FROM dm_channels WHERE user_id = $1")
                .bind(user_id as i64)
                .fetch_optional(&self.store.read)
                .await?;
        Ok(v.map(|c| c as u64))
    }

    pub async fn save_dm_channel(&self, user_id: u64, channel_id: u64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO dm_channels (user_id, channel_id) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id",
        )
        .bind(user_id as i64)
        .bind(channel_id as i64)
        .execute(&self.store.write)
        .await?;
        Ok(())
    }
}
