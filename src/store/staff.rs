//! The staff desk's tables: the single-ticket notices the bot posted (so later events of
//! the ticket edit them in place) and every action staff took from Discord (so a notice
//! and a stale press can name who acted).

use super::{now_millis, Store, StoreError};
use crate::ticket::api::TicketId;
use crate::ticket::Status;

/// Notices kept per ticket: a ticket announced more often than this has its oldest
/// notices left as they are.
const NOTICES_PER_TICKET: i64 = 5;

/// What a staff member did from a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Start,
    Resolve,
    Reply,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Resolve => "resolve",
            Action::Reply => "reply",
        }
    }

    fn parse(s: &str) -> Option<Action> {
        match s {
            "start" => Some(Action::Start),
            "resolve" => Some(Action::Resolve),
            "reply" => Some(Action::Reply),
            _ => None,
        }
    }
}

/// How a recorded action ended. `Pending` while the API call is under way: the event it
/// causes may be processed before the answer comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Done,
    /// Not done: refused, stale, or the API failed.
    NotDone,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Done => "done",
            Outcome::NotDone => "not_done",
        }
    }
}

/// One recorded action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acted {
    pub action: Action,
    pub user_id: u64,
    pub user_name: String,
    pub to_status: Option<Status>,
    /// Unix ms.
    pub at: i64,
}

pub struct StaffStore<'s> {
    pub(super) store: &'s Store,
}

impl StaffStore<'_> {
    /// Remembers a notice posted for `ticket`, keeping the newest few per ticket.
    pub async fn record_notice(
        &self,
        backend: &str,
        ticket: TicketId,
        channel: u64,
        message: u64,
    ) -> Result<(), StoreError> {
        let ticket = i64::try_from(ticket).unwrap_or(i64::MAX);
        on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            sqlx::query(
                "INSERT INTO staff_notices (channel_id, message_id, backend, ticket_id, \
                 created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(channel as i64)
            .bind(message as i64)
            .bind(backend)
            .bind(ticket)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM staff_notices WHERE backend = $1 AND ticket_id = $2 \
                 AND message_id NOT IN (SELECT message_id FROM staff_notices \
                   WHERE backend = $1 AND ticket_id = $2 ORDER BY message_id DESC LIMIT $3)",
            )
            .bind(backend)
            .bind(ticket)
            .bind(NOTICES_PER_TICKET)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The notices of `ticket` (channel, message), oldest first.
    pub async fn notices(
        &self,
        backend: &str,
        ticket: TicketId,
    ) -> Result<Vec<(u64, u64)>, StoreError> {
        let rows: Vec<(i64, i64)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT channel_id, message_id FROM staff_notices \
                 WHERE backend = $1 AND ticket_id = $2 ORDER BY message_id",
            )
            .bind(backend)
            .bind(i64::try_from(ticket).unwrap_or(i64::MAX))
            .fetch_all(db)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(c, m)| (c as u64, m as u64))
            .collect())
    }

    /// Forgets a notice Discord no longer has.
    pub async fn forget_notice(&self, channel: u64, message: u64) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query("DELETE FROM staff_notices WHERE channel_id = $1 AND message_id = $2")
                .bind(channel as i64)
                .bind(message as i64)
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// Records an action before it is sent to the API (outcome pending); returns its id.
    pub async fn begin_action(
        &self,
        backend: &str,
        ticket: TicketId,
        action: Action,
        user_id: u64,
        user_name: &str,
        to_status: Option<Status>,
    ) -> Result<i64, StoreError> {
        Ok(on!(self.store, write, |db| {
            sqlx::query_scalar(
                "INSERT INTO staff_actions (backend, ticket_id, action, user_id, user_name, \
                 to_status, outcome, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(backend)
            .bind(i64::try_from(ticket).unwrap_or(i64::MAX))
            .bind(action.as_str())
            .bind(user_id as i64)
            .bind(user_name)
            .bind(to_status.map(|s| s.api_value()))
            .bind(Outcome::Pending.as_str())
            .bind(now_millis())
            .fetch_one(db)
            .await?
        }))
    }

    pub async fn finish_action(&self, id: i64, outcome: Outcome) -> Result<(), StoreError> {
        on!(self.store, write, |db| {
            sqlx::query("UPDATE staff_actions SET outcome = $1 WHERE id = $2")
                .bind(outcome.as_str())
                .bind(id)
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// The latest action on `ticket` that was done (or is under way), optionally only one
    /// that set `status`.
    pub async fn last_action(
        &self,
        backend: &str,
        ticket: TicketId,
        status: Option<Status>,
    ) -> Result<Option<Acted>, StoreError> {
        let row: Option<(String, i64, String, Option<i64>, i64)> = on!(self.store, read, |db| {
            sqlx::query_as(
                "SELECT action, user_id, user_name, to_status, at FROM staff_actions \
                 WHERE backend = $1 AND ticket_id = $2 AND outcome IN ($3, $4) \
                   AND ($5 IS NULL OR to_status = $5) \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(backend)
            .bind(i64::try_from(ticket).unwrap_or(i64::MAX))
            .bind(Outcome::Done.as_str())
            .bind(Outcome::Pending.as_str())
            .bind(status.map(|s| s.api_value()))
            .fetch_optional(db)
            .await?
        });
        let Some((action, user_id, user_name, to_status, at)) = row else {
            return Ok(None);
        };
        let action = Action::parse(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("staff action `{action}`")))?;
        Ok(Some(Acted {
            action,
            user_id: user_id as u64,
            user_name,
            to_status: to_status.map(Status::from),
            at,
        }))
    }

    /// Retention: notices and actions older than `cutoff` (unix ms). Returns rows deleted.
    pub async fn prune(&self, cutoff: i64) -> Result<u64, StoreError> {
        Ok(on!(self.store, write, |db| {
            let mut tx = db.begin().await?;
            let mut n = 0;
            for sql in [
                "DELETE FROM staff_notices WHERE created_at < $1",
                "DELETE FROM staff_actions WHERE at < $1",
            ] {
                n += sqlx::query(sql)
                    .bind(cutoff)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            n
        }))
    }
}
