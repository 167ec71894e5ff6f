//! The notification pipeline's tables: the inbox (events, once each per backend), the
//! outbox (jobs, written with the event's processing), who opened which ticket from
//! Discord, DM channels and users whose DMs are closed.
//!
//! Every row that names a ticket or an event also names its backend (the ticket API it
//! came from), so switching `PARADARUM_API_URL` never mixes two APIs' ids.

use serde::{Deserialize, Serialize};

use super::{now_millis, Store, StoreError};
use crate::ticket::api::{Event, Message, MessageId, TicketId};
use crate::ticket::{Status, Topic};

/// What a job sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Staff message: a ticket became Resolved (coalesced when many).
    StaffResolved,
    /// Staff message: a ticket was moved to another topic (escalation).
    StaffTopic,
    /// Staff message: another transition, only when configured (or a reopened ticket).
    StaffStatus,
    /// Staff message: a new ticket, when configured.
    StaffOpened,
    /// An edit of a single-ticket staff notice (`Payload::message`) after a later event
    /// of its ticket: never coalesced, never a new message.
    StaffEdit,
    /// DM to the customer who opened the ticket from Discord.
    Dm,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::StaffResolved => "staff_resolved",
            JobKind::StaffTopic => "staff_topic",
            JobKind::StaffStatus => "staff_status",
            JobKind::StaffOpened => "staff_opened",
            JobKind::StaffEdit => "staff_edit",
            JobKind::Dm => "dm",
        }
    }

    fn parse(s: &str) -> Result<JobKind, StoreError> {
        Ok(match s {
            "staff_resolved" => JobKind::StaffResolved,
            "staff_topic" => JobKind::StaffTopic,
            "staff_status" => JobKind::StaffStatus,
            "staff_opened" => JobKind::StaffOpened,
            "staff_edit" => JobKind::StaffEdit,
            "dm" => JobKind::Dm,
            other => return Err(StoreError::Corrupt(format!("job kind `{other}`"))),
        })
    }

    /// The target of a job of this kind: a user for DMs, a channel otherwise.
    pub fn target(self, id: u64) -> Target {
        match self {
            JobKind::Dm => Target::Dm(id),
            _ => Target::Channel(id),
        }
    }
}

/// Where a job's message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A staff channel.
    Channel(u64),
    /// A user's DMs (their DM channel is looked up or opened when sending).
    Dm(u64),
}

impl Target {
    pub fn id(self) -> u64 {
        match self {
            Target::Channel(c) | Target::Dm(c) => c,
        }
    }
}

/// Where a job is in its life: pending → sending (in a batch, nonce fixed) → sent, or
/// parked (Discord refuses the channel), failed (refused for good) or skipped (no longer
/// to be sent: the user unlinked, their DMs are closed, the backend changed).
/// Stored as text (`as_str`) on both engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Pending,
    Sending,
    Sent,
    Parked,
    Failed,
    Skipped,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Sending => "sending",
            JobState::Sent => "sent",
            JobState::Parked => "parked",
            JobState::Failed => "failed",
            JobState::Skipped => "skipped",
        }
    }
}

/// The change a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Resolved,
    InProgress,
    Reopened,
    Closed,
    Topic,
    StaffReply,
    /// A new ticket.
    Opened,
    /// The customer wrote (staff notices' edits only).
    CustomerReply,
    #[default]
    #[serde(other)]
    Unknown,
}

impl Change {
    pub fn of_status(to: Status) -> Change {
        match to {
            Status::Open => Change::Reopened,
            Status::InProgress => Change::InProgress,
            Status::Resolved => Change::Resolved,
            Status::Closed => Change::Closed,
            Status::Unknown(_) => Change::Unknown,
        }
    }
}

/// What a notification says, fixed when its event is processed. Every field has a
/// default so a payload written by an older version still reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Payload {
    pub event: String,
    pub change: Change,
    /// None when the ticket could not be read (a degraded notice says only what the
    /// event says).
    pub subject: Option<String>,
    pub topic: Option<Topic>,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub from_topic: Option<Topic>,
    pub to_topic: Option<Topic>,
    pub reason: Option<String>,
    /// The ticket's status now (topic changes).
    pub status: Option<Status>,
    /// The Discord user who opened the ticket, if still linked to its account.
    pub opened_by: Option<u64>,
    /// The account the ticket belongs to.
    pub account: Option<String>,
    /// The staff notice a `StaffEdit` job edits.
    pub message: Option<u64>,
    /// A staff reply's words, for its DM; None when the message could not be read (the
    /// DM then says only that support replied).
    pub reply: Option<ReplyText>,
}

/// The start of a staff reply as its DM shows it, read when its event is processed. One
/// embed shows at most 4,096 characters, so no more is kept; *Read all* reads the whole
/// message afresh with the customer's own token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReplyText {
    pub message_id: MessageId,
    /// At most [`ReplyText::KEEP_CHARS`] characters of the message's text.
    pub text: String,
    /// Whether `text` is the whole message.
    pub complete: bool,
    /// The name the reply was signed with (capability `messages.staff_name`).
    pub staff_name: Option<String>,
}

impl ReplyText {
    pub const KEEP_CHARS: usize = 4096;

    pub fn of(message: &Message) -> Self {
        let complete = message.body.chars().count() <= Self::KEEP_CHARS;
        Self {
            message_id: message.id,
            text: message.body.chars().take(Self::KEEP_CHARS).collect(),
            complete,
            staff_name: message.staff_name.clone(),
        }
    }
}

/// An event waiting in the inbox.
#[derive(Clone, Debug)]
pub struct InboxEvent {
    pub event: Event,
    pub received_at: i64,
    /// Failed tries so far.
    pub attempts: i64,
}

/// A job to be written to the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    /// Unique per backend, ticket, event, kind and target: writing it twice keeps one.
    pub dedupe_key: String,
    pub kind: JobKind,
    pub target: Target,
    pub ticket_id: TicketId,
    pub payload: Payload,
    pub received_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: i64,
    pub backend: String,
    pub kind: JobKind,
    pub target: Target,
    pub ticket_id: TicketId,
    pub payload: Payload,
    pub batch_id: Option<i64>,
    pub attempts: i64,
    pub received_at: i64,
    /// When the job was written (its event processed).
    pub created_at: i64,
}

/// Who opened a ticket from Discord, and for which account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opener {
    pub account_id: String,
    pub user_id: u64,
}

/// Rows removed by one retention pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub inbox: u64,
    pub outbox: u64,
    pub openers: u64,
    pub dm_channels: u64,
}

impl Pruned {
    pub fn total(&self) -> u64 {
        self.inbox + self.outbox + self.openers + self.dm_channels
    }
}

pub struct NotifyStore<'s> {
    pub(super) store: &'s Store,
}

const JOB_COLUMNS: &str =
    "id, backend, kind, target, ticket_id, payload, batch_id, attempts, received_at, created_at";

/// A job row of either engine.
#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    backend: String,
    kind: String,
    target: i64,
    ticket_id: i64,
    payload: String,
    batch_id: Option<i64>,
    attempts: i64,
    received_at: i64,
    created_at: i64,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(r: JobRow) -> Result<Job, StoreError> {
        let kind = JobKind::parse(&r.kind)?;
        Ok(Job {
            id: r.id,
            backend: r.backend,
            kind,
            target: kind.target(r.target as u64),
            ticket_id: r.ticket_id as TicketId,
            payload: serde_json::from_str(&r.payload)
                .map_err(|e| StoreError::Corrupt(format!("outbox payload: {e}")))?,
            batch_id: r.batch_id,
            attempts: r.attempts,
            received_at: r.received_at,
            created_at: r.created_at,
        })
    }
}

fn jobs(rows: Vec<JobRow>) -> Result<Vec<Job>, StoreError> {
    rows.into_iter().map(Job::try_from).collect()
}

/// (kind, target) rows read back as typed targets.
fn targets<T>(rows: Vec<(String, i64, T)>) -> Result<Vec<(JobKind, Target, T)>, StoreError> {
    rows.into_iter()
        .map(|(kind, t, rest)| {
            let kind = JobKind::parse(&kind)?;
            Ok((kind, kind.target(t as u64), rest))
        })
        .collect()
}

/// The cursor of one backend's events feed in `kv_state`.
pub fn cursor_key(backend: &str) -> String {
    format!("events.cursor:{backend}")
}

/// The key under which versions before backends kept the feed's cursor.
const LEGACY_CURSOR: &str = "events.cursor";

impl NotifyStore<'_> {
    /// Gives rows written before backends existed (backend '') to `backend`, once: they
    /// were written for the API configured when the bot was upgraded. Openers whose user
    /// was no longer linked (no account known) are dropped: nobody can be told safely.
    pub async fn adopt_legacy(&self, backend: &str) -> Result<u64, StoreError> {
        on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            let mut n = 0;
            for sql in [
                "UPDATE inbox_events SET backend = $1 WHERE backend = ''",
                "UPDATE outbox_jobs SET backend = $1 WHERE backend = ''",
                "UPDATE ticket_openers SET backend = $1 WHERE backend = '' AND account_id <> ''",
            ] {
                n += sqlx::query(sql)
                    .bind(backend)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            n += sqlx::query("DELETE FROM ticket_openers WHERE backend = ''")
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let legacy: Option<String> =
                sqlx::query_scalar("SELECT value FROM kv_state WHERE name = $1")
                    .bind(LEGACY_CURSOR)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(cursor) = legacy {
                sqlx::query(
                    "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(cursor_key(backend))
                .bind(cursor)
                .bind(now_millis())
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM kv_state WHERE name = $1")
                    .bind(LEGACY_CURSOR)
                    .execute(&mut *tx)
                    .await?;
                n += 1;
            }
            tx.commit().await?;
            Ok(n)
        })
    }

    /// Marks unprocessed events of other backends as processed without notifying: their
    /// tickets cannot be read through the API in use now. Returns how many.
    pub async fn abandon_other_backends(&self, backend: &str) -> Result<u64, StoreError> {
        Ok(on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE inbox_events SET processed_at = $1, last_error = 'backend changed' \
                 WHERE processed_at IS NULL AND backend <> $2",
            )
            .bind(now_millis())
            .bind(backend)
            .execute(db)
            .await?
            .rows_affected()
        }))
    }

    /// Stores events not seen before from this backend (by id) and, in the same
    /// transaction, the feed's cursor. Returns how many were new.
    pub async fn receive(
        &self,
        backend: &str,
        events: &[Event],
        source: &str,
        cursor: Option<&str>,
    ) -> Result<usize, StoreError> {
        let now = now_millis();
        let mut rows = Vec::with_capacity(events.len());
        for e in events {
            let payload = serde_json::to_string(e)
                .map_err(|err| StoreError::Corrupt(format!("event {}: {err}", e.id)))?;
            let seq = e
                .sequence()
                .map_or(0, |s| i64::try_from(s).unwrap_or(i64::MAX));
            rows.push((e, seq, payload));
        }
        on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            let mut fresh = 0;
            for (e, seq, payload) in &rows {
                let done = sqlx::query(
                    "INSERT INTO inbox_events (backend, event_id, seq, ticket_id, source, \
                     payload, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (backend, event_id) DO NOTHING",
                )
                .bind(backend)
                .bind(&e.id)
                .bind(*seq)
                .bind(i64::try_from(e.ticket_id).unwrap_or(i64::MAX))
                .bind(source)
                .bind(payload)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                fresh += done.rows_affected() as usize;
            }
            if let Some(value) = cursor {
                sqlx::query(
                    "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value, \
                     updated_at = excluded.updated_at",
                )
                .bind(cursor_key(backend))
                .bind(value)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(fresh)
        })
    }

    /// Unprocessed events of `backend` that are due, oldest first — only the first
    /// unprocessed event of each ticket, so one ticket's events keep their order while a
    /// ticket whose event is waiting for a retry holds back no other ticket.
    pub async fn due_events(
        &self,
        backend: &str,
        now: i64,
        limit: u32,
    ) -> Result<Vec<InboxEvent>, StoreError> {
        let rows: Vec<(String, i64, i64)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT i.payload, i.received_at, i.attempts FROM inbox_events i \
                 WHERE i.backend = $1 AND i.processed_at IS NULL AND i.next_attempt_at <= $2 \
                   AND NOT EXISTS (SELECT 1 FROM inbox_events e \
                       WHERE e.backend = i.backend AND e.ticket_id = i.ticket_id \
                         AND e.processed_at IS NULL \
                         AND (e.seq < i.seq OR (e.seq = i.seq AND e.event_id < i.event_id))) \
                 ORDER BY i.seq, i.event_id LIMIT $3",
            )
            .bind(backend)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        rows.into_iter()
            .map(|(payload, received_at, attempts)| {
                Ok(InboxEvent {
                    event: serde_json::from_str(&payload)
                        .map_err(|e| StoreError::Corrupt(format!("inbox payload: {e}")))?,
                    received_at,
                    attempts,
                })
            })
            .collect()
    }

    /// When the next deferred event of `backend` is due (unix ms), if any waits.
    pub async fn next_due(&self, backend: &str) -> Result<Option<i64>, StoreError> {
        Ok(on!(self.store, read, |db| {
            sqlx::query_scalar(
                "SELECT MIN(next_attempt_at) FROM inbox_events \
                 WHERE backend = $1 AND processed_at IS NULL",
            )
            .bind(backend)
            .fetch_one(db)
            .await?
        }))
    }

    /// Counts a failed try of an event and sets when it is tried again.
    pub async fn defer(
        &self,
        backend: &str,
        event_id: &str,
        at: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(500).collect();
        on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE inbox_events SET attempts = attempts + 1, next_attempt_at = $1, \
                 last_error = $2 WHERE backend = $3 AND event_id = $4",
            )
            .bind(at)
            .bind(&error)
            .bind(backend)
            .bind(event_id)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Writes an event's jobs and marks it processed, all or nothing. A Closed ticket's
    /// opener record starts its retention clock in the same transaction. Jobs are unique
    /// by dedupe key, so completing one event twice (two processors) writes them once.
    pub async fn complete(
        &self,
        backend: &str,
        event: &Event,
        jobs: &[NewJob],
        closed: bool,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        let mut payloads = Vec::with_capacity(jobs.len());
        for j in jobs {
            payloads.push(
                serde_json::to_string(&j.payload)
                    .map_err(|e| StoreError::Corrupt(format!("job payload: {e}")))?,
            );
        }
        on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            for (j, payload) in jobs.iter().zip(&payloads) {
                sqlx::query(
                    "INSERT INTO outbox_jobs (dedupe_key, backend, kind, target, ticket_id, \
                     payload, state, next_attempt_at, received_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) \
                     ON CONFLICT (dedupe_key) DO NOTHING",
                )
                .bind(&j.dedupe_key)
                .bind(backend)
                .bind(j.kind.as_str())
                .bind(j.target.id() as i64)
                .bind(j.ticket_id as i64)
                .bind(payload)
                .bind(JobState::Pending.as_str())
                .bind(now)
                .bind(j.received_at)
                .execute(&mut *tx)
                .await?;
            }
            if closed {
                sqlx::query(
                    "UPDATE ticket_openers SET closed_at = $1 \
                     WHERE backend = $2 AND ticket_id = $3 AND closed_at IS NULL",
                )
                .bind(now)
                .bind(backend)
                .bind(event.ticket_id as i64)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE inbox_events SET processed_at = $1 WHERE backend = $2 AND event_id = $3",
            )
            .bind(now)
            .bind(backend)
            .bind(&event.id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Unprocessed events of `backend` and when the oldest of them was received.
    pub async fn backlog(&self, backend: &str) -> Result<(i64, Option<i64>), StoreError> {
        Ok(on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox_events \
                 WHERE backend = $1 AND processed_at IS NULL",
            )
            .bind(backend)
            .fetch_one(db)
            .await?
        }))
    }

    /// Batches already formed (their nonce is fixed) that are due to be sent (again).
    pub async fn due_batches(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        Ok(on!(self.store, read, |db| {
            sqlx::query_scalar(
                "SELECT DISTINCT batch_id FROM outbox_jobs \
                 WHERE state = $1 AND next_attempt_at <= $2 ORDER BY batch_id",
            )
            .bind(JobState::Sending.as_str())
            .bind(now)
            .fetch_all(db)
            .await?
        }))
    }

    /// Targets with pending jobs and no batch in flight, oldest first.
    pub async fn due_targets(&self, now: i64) -> Result<Vec<(JobKind, Target)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT kind, target, MIN(id) AS first FROM outbox_jobs p \
                 WHERE state = $1 AND next_attempt_at <= $2 \
                   AND NOT EXISTS (SELECT 1 FROM outbox_jobs s WHERE s.state = $3 \
                                   AND s.kind = p.kind AND s.target = p.target) \
                 GROUP BY kind, target ORDER BY first",
            )
            .bind(JobState::Pending.as_str())
            .bind(now)
            .bind(JobState::Sending.as_str())
            .fetch_all(db)
            .await?
        });
        Ok(targets(rows)?
            .into_iter()
            .map(|(kind, target, _)| (kind, target))
            .collect())
    }

    pub async fn pending_jobs(
        &self,
        kind: JobKind,
        target: Target,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM outbox_jobs \
             WHERE state = $1 AND kind = $2 AND target = $3 ORDER BY id LIMIT $4"
        );
        jobs(on!(self.store, read, |db| {
            sqlx::query_as(&sql)
                .bind(JobState::Pending.as_str())
                .bind(kind.as_str())
                .bind(target.id() as i64)
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
        }))
    }

    /// Fixes a batch (its id is its first job's id, and so is its nonce) before sending,
    /// so a crash after the send resends exactly the same message. Each job moves only
    /// from pending, so a job joins one batch even if two dispatchers raced.
    pub async fn start_batch(&self, job_ids: &[i64]) -> Result<i64, StoreError> {
        let batch = *job_ids
            .iter()
            .min()
            .ok_or_else(|| StoreError::Corrupt("empty batch".into()))?;
        on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            for id in job_ids {
                sqlx::query(
                    "UPDATE outbox_jobs SET state = $1, batch_id = $2 \
                     WHERE id = $3 AND state = $4",
                )
                .bind(JobState::Sending.as_str())
                .bind(batch)
                .bind(id)
                .bind(JobState::Pending.as_str())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(batch)
    }

    pub async fn batch_jobs(&self, batch_id: i64) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM outbox_jobs WHERE batch_id = $1 AND state = $2 \
             ORDER BY id"
        );
        jobs(on!(self.store, read, |db| {
            sqlx::query_as(&sql)
                .bind(batch_id)
                .bind(JobState::Sending.as_str())
                .fetch_all(db)
                .await?
        }))
    }

    /// Ends a batch: sent, or parked / failed / skipped when it must not be retried.
    pub async fn finish_batch(&self, batch_id: i64, state: JobState) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE outbox_jobs SET state = $1, sent_at = $2 \
                 WHERE batch_id = $3 AND state = $4",
            )
            .bind(state.as_str())
            .bind(now_millis())
            .bind(batch_id)
            .bind(JobState::Sending.as_str())
            .execute(db)
            .await?;
        });
        Ok(())
    }

    pub async fn retry_batch_at(&self, batch_id: i64, at: i64) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE outbox_jobs SET attempts = attempts + 1, next_attempt_at = $1 \
                 WHERE batch_id = $2 AND state = $3",
            )
            .bind(at)
            .bind(batch_id)
            .bind(JobState::Sending.as_str())
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Parks every unsent job for a target Discord refuses (403/404).
    pub async fn park_target(&self, kind: JobKind, target: Target) -> Result<u64, StoreError> {
        Ok(on!(self.store, write, |db| {
            sqlx::query(
                "UPDATE outbox_jobs SET state = $1, sent_at = $2 \
                 WHERE kind = $3 AND target = $4 AND state IN ($5, $6)",
            )
            .bind(JobState::Parked.as_str())
            .bind(now_millis())
            .bind(kind.as_str())
            .bind(target.id() as i64)
            .bind(JobState::Pending.as_str())
            .bind(JobState::Sending.as_str())
            .execute(db)
            .await?
            .rows_affected()
        }))
    }

    /// Messages sent since `since` (unix ms), one per batch with its target and time, and
    /// batches in flight (time None: maybe sent just before a crash). A new dispatcher
    /// paces from these, so a restart never bursts past a channel's limit.
    pub async fn recent_sends(
        &self,
        since: i64,
    ) -> Result<Vec<(JobKind, Target, Option<i64>)>, StoreError> {
        let rows: Vec<(String, i64, Option<i64>)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT kind, target, MAX(sent_at) AS at FROM outbox_jobs \
                 WHERE state = $1 AND sent_at >= $2 GROUP BY kind, target, batch_id \
                 UNION ALL \
                 SELECT kind, target, NULL AS at FROM outbox_jobs WHERE state = $3 \
                 GROUP BY kind, target, batch_id",
            )
            .bind(JobState::Sent.as_str())
            .bind(since)
            .bind(JobState::Sending.as_str())
            .fetch_all(db)
            .await?
        });
        targets(rows)
    }

    /// Jobs not yet sent (pending or in a batch).
    pub async fn depth(&self) -> Result<i64, StoreError> {
        Ok(on!(self.store, read, |db| {
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox_jobs WHERE state IN ($1, $2)")
                .bind(JobState::Pending.as_str())
                .bind(JobState::Sending.as_str())
                .fetch_one(db)
                .await?
        }))
    }

    /// Targets whose jobs were parked, for operators.
    pub async fn parked_targets(&self) -> Result<Vec<(JobKind, Target, i64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT kind, target, COUNT(*) AS n FROM outbox_jobs WHERE state = $1 \
                 GROUP BY kind, target ORDER BY kind, target",
            )
            .bind(JobState::Parked.as_str())
            .fetch_all(db)
            .await?
        });
        targets(rows)
    }

    /// Records who opened a ticket from Discord (first record wins).
    pub async fn remember_opener(
        &self,
        backend: &str,
        ticket: TicketId,
        account_id: &str,
        user_id: u64,
    ) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "INSERT INTO ticket_openers (backend, ticket_id, account_id, user_id, \
                 created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (backend, ticket_id) DO NOTHING",
            )
            .bind(backend)
            .bind(ticket as i64)
            .bind(account_id)
            .bind(user_id as i64)
            .bind(now_millis())
            .execute(db)
            .await?;
        });
        Ok(())
    }

    pub async fn opener(
        &self,
        backend: &str,
        ticket: TicketId,
    ) -> Result<Option<Opener>, StoreError> {
        let row: Option<(String, i64)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT account_id, user_id FROM ticket_openers \
                 WHERE backend = $1 AND ticket_id = $2",
            )
            .bind(backend)
            .bind(i64::try_from(ticket).unwrap_or(i64::MAX))
            .fetch_optional(db)
            .await?
        });
        Ok(row.map(|(account_id, user)| Opener {
            account_id,
            user_id: user as u64,
        }))
    }

    pub async fn dm_channel(&self, user_id: u64) -> Result<Option<u64>, StoreError> {
        let v: Option<i64> = on!(self.store, read, |db| {
            sqlx::query_scalar("SELECT channel_id FROM dm_channels WHERE user_id = $1")
                .bind(user_id as i64)
                .fetch_optional(db)
                .await?
        });
        Ok(v.map(|c| c as u64))
    }

    /// Remembers (or refreshes) a user's DM channel; `used_at` keeps it from retention.
    pub async fn save_dm_channel(&self, user_id: u64, channel_id: u64) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "INSERT INTO dm_channels (user_id, channel_id, used_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id, \
                 used_at = excluded.used_at",
            )
            .bind(user_id as i64)
            .bind(channel_id as i64)
            .bind(now_millis())
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Until when (unix ms) a user's DMs are known to be closed, if they are.
    pub async fn dm_closed_until(&self, user_id: u64, now: i64) -> Result<Option<i64>, StoreError> {
        Ok(on!(self.store, read, |db| {
            sqlx::query_scalar(
                "SELECT closed_until FROM dm_closed WHERE user_id = $1 AND closed_until > $2",
            )
            .bind(user_id as i64)
            .bind(now)
            .fetch_optional(db)
            .await?
        }))
    }

    pub async fn mark_dm_closed(&self, user_id: u64, until: i64) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query(
                "INSERT INTO dm_closed (user_id, closed_until) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET closed_until = excluded.closed_until",
            )
            .bind(user_id as i64)
            .bind(until)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Retention: deletes what is done and older than `cutoff` (unix ms): processed
    /// events, finished jobs, openers of tickets Closed before it, DM channels unused
    /// since, and expired closed-DM marks. Nothing pending is ever deleted.
    pub async fn prune(&self, cutoff: i64, now: i64) -> Result<Pruned, StoreError> {
        on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            let inbox = sqlx::query("DELETE FROM inbox_events WHERE processed_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let outbox = sqlx::query(
                "DELETE FROM outbox_jobs WHERE state IN ($1, $2, $3, $4) AND sent_at < $5",
            )
            .bind(JobState::Sent.as_str())
            .bind(JobState::Failed.as_str())
            .bind(JobState::Skipped.as_str())
            .bind(JobState::Parked.as_str())
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let openers = sqlx::query("DELETE FROM ticket_openers WHERE closed_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let dm_channels = sqlx::query("DELETE FROM dm_channels WHERE used_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM dm_closed WHERE closed_until <= $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Pruned {
                inbox,
                outbox,
                openers,
                dm_channels,
            })
        })
    }

    /// Row counts of the pipeline's tables, for tests and operators.
    pub async fn table_sizes(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut out = Vec::new();
        for table in [
            "inbox_events",
            "outbox_jobs",
            "ticket_openers",
            "dm_channels",
            "dm_closed",
        ] {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let n: i64 = on!(self.store, read, |db| {
                sqlx::query_scalar(&sql).fetch_one(db).await?
            });
            out.push((table, n));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_written_by_an_older_version_still_reads() {
        let old = serde_json::json!({"ticket": 5, "event": "evt_000000000001", "subject": "s",
            "topic": 3, "from": 1, "to": 2, "change": "resolved", "opener": "42"});
        let p: Payload = serde_json::from_value(old).unwrap();
        assert_eq!(p.change, Change::Resolved);
        assert_eq!(p.subject.as_deref(), Some("s"));
        assert_eq!(p.topic, Some(Topic::Billing));
        // The old opener (a string) is not trusted: nobody is named.
        assert_eq!(p.opened_by, None);
        let odd: Payload =
            serde_json::from_value(serde_json::json!({"change": "exploded"})).unwrap();
        assert_eq!(odd.change, Change::Unknown);
    }
}
