//! Inbox → outbox: plans each event's notifications and writes them in the same
//! transaction that marks the event processed. If the ticket cannot be read (API down),
//! the event stays in the inbox and is tried again.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{plan, PipelineDeps};
use crate::client::ApiError;

const BATCH: u32 = 200;
const IDLE_WAIT: Duration = Duration::from_secs(1);
const RETRY_WAIT: Duration = Duration::from_secs(2);

pub async fn run(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    loop {
        let wait = match process_some(&deps).await {
            Ok(0) => IDLE_WAIT,
            Ok(_) => Duration::ZERO,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: processing paused");
                RETRY_WAIT
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

/// Processes what is in the inbox; returns how many events were done.
async fn process_some(deps: &PipelineDeps) -> Result<usize, String> {
    let events = deps
        .store
        .notify()
        .unprocessed(BATCH)
        .await
        .map_err(|e| e.to_string())?;
    let mut done = 0;
    for item in &events {
        let e = &item.event;
        let kind = e.kind();
        let opener = deps
            .store
            .notify()
            .opener(e.ticket_id)
            .await
            .map_err(|e| e.to_string())?;
        let ticket = if plan::needs_ticket(&kind, &deps.settings, opener) {
            match &deps.token {
                Some(token) => match deps.client.ticket(token, e.ticket_id).await {
                    Ok(t) => Some(t),
                    Err(ApiError::NotFound | ApiError::Forbidden { .. }) => None,
                    Err(err) => {
                        // Try again later rather than announce without a subject.
                        return Err(format!("reading ticket {}: {err}", e.ticket_id));
                    }
                },
                None => None,
            }
        } else {
            None
        };
        let jobs = plan::plan(e, ticket.as_ref(), opener, &deps.settings, item.received_at);
        deps.store
            .notify()
            .complete(&e.id, &jobs)
            .await
            .map_err(|e| e.to_string())?;
        if !jobs.is_empty() {
            deps.wakers.dispatcher.notify_one();
        }
        done += 1;
    }
    Ok(done)
}
