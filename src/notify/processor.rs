//! Inbox → outbox: plans each event's notifications and writes them in the same
//! transaction that marks the event processed.
//!
//! An event whose ticket cannot be read is tried again with backoff while other tickets'
//! events flow on (one ticket's events keep their order); after
//! `notifications.max_event_attempts` tries it is announced from what the event itself
//! says. A refused integration token (401/403) pauses the whole pipeline instead, without
//! spending any event's tries, until the API accepts the token again.

use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use tokio_util::sync::CancellationToken;

use super::health::Refused;
use super::{plan, PipelineDeps};
use crate::client::ApiError;
use crate::metrics::Metrics;
use crate::store::notify::{Change, InboxEvent, JobKind, NewJob, ReplyText, Target};
use crate::store::{now_millis, StoreError};
use crate::ticket::api::{EventKind, Ticket};
use crate::ticket::{Author, Status};

const BATCH: u32 = 200;
const IDLE_WAIT: Duration = Duration::from_secs(1);

/// Why a round stopped early.
#[derive(Debug, thiserror::Error)]
enum RoundError {
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("the integration token was refused reading ticket {ticket}: {error}")]
    TokenRefused { ticket: u64, error: ApiError },
}

/// The delay before an event's `attempt`-th retry (1 s, doubling, at most 5 minutes).
pub fn retry_delay(attempt: u32) -> Duration {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_secs(1))
        .with_max_delay(Duration::from_secs(300))
        .without_max_times()
        .build()
        .nth(attempt.saturating_sub(1).min(20) as usize)
        .unwrap_or(Duration::from_secs(300))
}

pub async fn run(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    super::test_fault("processor");
    let mut pause = 0u32;
    loop {
        let wait = match process_some(&deps).await {
            Ok(0) => {
                pause = 0;
                next_wait(&deps).await
            }
            Ok(_) => {
                pause = 0;
                Duration::ZERO
            }
            Err(RoundError::TokenRefused { ticket, error }) => {
                pause += 1;
                if deps.health.refuse(Refused::Reads) || deps.health.log_due(now_millis() as u64) {
                    tracing::error!(
                        ticket, %error,
                        "notifications paused: the ticket API refuses the integration token \
                         (PARADARUM_API_TOKEN); retrying until it accepts it"
                    );
                }
                retry_delay(pause).min(Duration::from_secs(30))
            }
            Err(e) => {
                tracing::warn!(error = %e, "notifications: processing failed; retrying");
                Duration::from_secs(2)
            }
        };
        if wait.is_zero() {
            if shutdown.is_cancelled() {
                return;
            }
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = deps.wakers.processor.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Until the next deferred event is due, at most the idle wait.
async fn next_wait(deps: &PipelineDeps) -> Duration {
    match deps.store.notify().next_due(&deps.backend).await {
        Ok(Some(at)) => {
            let ms = (at - now_millis()).clamp(50, IDLE_WAIT.as_millis() as i64);
            Duration::from_millis(ms as u64)
        }
        _ => IDLE_WAIT,
    }
}

/// Processes what is due in the inbox; returns how many events were done or deferred.
async fn process_some(deps: &PipelineDeps) -> Result<usize, RoundError> {
    let events = deps
        .store
        .notify()
        .due_events(&deps.backend, now_millis(), BATCH)
        .await?;
    let mut done = 0;
    for item in &events {
        process_one(deps, item).await?;
        done += 1;
    }
    Ok(done)
}

/// What reading the ticket gave.
enum Lookup {
    Found(Ticket),
    /// Not needed, not there, or given up on: plan from the event alone.
    Without,
}

async fn process_one(deps: &PipelineDeps, item: &InboxEvent) -> Result<(), RoundError> {
    let store = deps.store.notify();
    let e = &item.event;
    let kind = e.kind();
    let opener = verified_opener(deps, e.ticket_id, &e.account_id).await?;
    let notices = deps
        .store
        .staff()
        .notices(&deps.backend, e.ticket_id)
        .await?;
    let mut degraded = false;
    let lookup = match (
        &deps.token,
        plan::needs_ticket(&kind, &deps.settings, opener, !notices.is_empty()),
    ) {
        (Some(token), true) => match deps.client.ticket(token, e.ticket_id).await {
            Ok(t) => {
                if deps.health.accept(Refused::Reads) {
                    tracing::info!("notifications resumed: the integration token is accepted");
                }
                Lookup::Found(t)
            }
            Err(ApiError::NotFound) => Lookup::Without,
            Err(error @ (ApiError::Unauthorized | ApiError::Forbidden { .. })) => {
                return Err(RoundError::TokenRefused {
                    ticket: e.ticket_id,
                    error,
                });
            }
            Err(err) => {
                let attempts = u32::try_from(item.attempts)
                    .unwrap_or(u32::MAX)
                    .saturating_add(1);
                if attempts < deps.settings.max_event_attempts {
                    let delay = retry_delay(attempts);
                    tracing::warn!(
                        event = %e.id, ticket = e.ticket_id, attempts, error = %err, ?delay,
                        "could not read a ticket for its notification; other tickets go on"
                    );
                    let at = now_millis() + delay.as_millis() as i64;
                    store
                        .defer(&deps.backend, &e.id, at, &err.to_string())
                        .await?;
                    return Ok(());
                }
                tracing::error!(
                    event = %e.id, ticket = e.ticket_id, attempts, error = %err,
                    "giving up reading a ticket: announcing it from the event alone"
                );
                degraded = true;
                Lookup::Without
            }
        },
        _ => Lookup::Without,
    };
    let ticket = match &lookup {
        Lookup::Found(t) => Some(t),
        Lookup::Without => None,
    };
    let mut jobs = plan::plan(
        &deps.backend,
        e,
        ticket,
        opener,
        &deps.settings,
        item.received_at,
    );
    // A channel that already shows this ticket's notice gets it edited, not a second one.
    jobs.retain(|j| match (j.kind, j.target) {
        (JobKind::Dm, _) | (_, Target::Dm(_)) => true,
        (_, Target::Channel(c)) => !notices.iter().any(|(nc, _)| *nc == c),
    });
    if let EventKind::MessageCreated {
        message_id,
        author: Author::Staff,
    } = kind
    {
        attach_reply_text(deps, e.ticket_id, message_id, &mut jobs).await;
    }
    jobs.extend(plan::edits(
        &deps.backend,
        e,
        ticket,
        opener,
        &notices,
        item.received_at,
    ));
    let closed = matches!(
        kind,
        EventKind::StatusChanged {
            to: Status::Closed,
            ..
        }
    );
    store.complete(&deps.backend, e, &jobs, closed).await?;
    if degraded && !jobs.is_empty() {
        Metrics::inc(&deps.metrics.events_degraded);
    }
    if !jobs.is_empty() {
        deps.wakers.dispatcher.notify_one();
    }
    Ok(())
}

/// Gives a staff reply's DMs the staff member's words, read with the integration token.
/// One try: if the message cannot be read the DM goes out saying only that support
/// replied; a DM is never held back or lost for want of its text.
async fn attach_reply_text(deps: &PipelineDeps, ticket: u64, message_id: u64, jobs: &mut [NewJob]) {
    let wanted = |j: &NewJob| j.payload.change == Change::StaffReply;
    let Some(token) = &deps.token else {
        return;
    };
    if !jobs.iter().any(wanted) {
        return;
    }
    let found = match deps.client.messages(token, ticket).await {
        Ok(messages) => messages.into_iter().find(|m| m.id == message_id),
        Err(error) => {
            tracing::warn!(
                ticket, message = message_id, %error,
                "could not read a staff reply for its DM; the DM says only that support replied"
            );
            return;
        }
    };
    let Some(message) = found else {
        tracing::warn!(
            ticket,
            message = message_id,
            "a staff reply is not among its ticket's messages; its DM says only that support replied"
        );
        return;
    };
    let text = ReplyText::of(&message);
    for job in jobs.iter_mut().filter(|j| wanted(j)) {
        job.payload.reply = Some(text.clone());
    }
}

/// The Discord user who opened `ticket` of this backend, only if the record is for the
/// event's account and the user is still linked to that account.
pub async fn verified_opener(
    deps: &PipelineDeps,
    ticket: u64,
    account: &str,
) -> Result<Option<u64>, StoreError> {
    let Some(o) = deps.store.notify().opener(&deps.backend, ticket).await? else {
        return Ok(None);
    };
    if o.account_id != account {
        return Ok(None);
    }
    let linked = deps.store.discord().link(o.user_id).await?;
    Ok(linked
        .filter(|l| l.account_id == o.account_id)
        .map(|_| o.user_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_grow_and_are_capped() {
        assert_eq!(retry_delay(1), Duration::from_secs(1));
        assert_eq!(retry_delay(2), Duration::from_secs(2));
        assert_eq!(retry_delay(4), Duration::from_secs(8));
        assert_eq!(retry_delay(30), Duration::from_secs(300));
        assert_eq!(retry_delay(u32::MAX), Duration::from_secs(300));
    }
}
