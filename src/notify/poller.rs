//! The backstop: reads `GET /v1/events?after=` with the integration token, its cursor
//! (one per backend) persisted with the events it read, so nothing is missed when
//! webhooks are lost.
//!
//! A first start on a backend begins at the newest event (`after=latest` where the API
//! announces it; otherwise the feed is paged to its end, announcing nothing), or — with
//! `notifications.backfill` — that far back (`since=` where announced; otherwise paged
//! from the start keeping only recent events). Past announcements are never flooded.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use secrecy::SecretString;
use tokio_util::sync::CancellationToken;

use super::health::Refused;
use super::PipelineDeps;
use crate::client::ApiError;
use crate::metrics::Metrics;
use crate::store::notify::cursor_key;
use crate::store::now_millis;
use crate::ticket::api::capability;

const PAGE: u32 = 100;
/// The stored cursor of a feed that was empty at the first start: read from its start.
const FROM_START: &str = "";

#[derive(Debug, thiserror::Error)]
enum PollError {
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

pub async fn run(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    super::test_fault("poller");
    let Some(token) = deps.token.clone() else {
        return;
    };
    tracing::info!(every = ?deps.settings.poll_interval, backend = %deps.backend, "polling the ticket events feed");
    let mut failures = 0u32;
    loop {
        let result = poll_once(&deps, &token).await;
        let wait = match result {
            Ok(full_page) => {
                failures = 0;
                if deps.health.accept(Refused::Feed) {
                    tracing::info!("notifications resumed: the events feed accepts the token");
                }
                if full_page {
                    Duration::ZERO
                } else {
                    deps.settings.poll_interval
                }
            }
            Err(PollError::Api(e @ (ApiError::Unauthorized | ApiError::Forbidden { .. }))) => {
                failures += 1;
                if deps.health.refuse(Refused::Feed) || deps.health.log_due(now_millis() as u64) {
                    tracing::error!(
                        error = %e,
                        "notifications paused: the events feed refuses the integration token \
                         (PARADARUM_API_TOKEN needs events:read); retrying until it accepts it"
                    );
                }
                super::processor::retry_delay(failures)
                    .clamp(deps.settings.poll_interval, Duration::from_secs(30))
            }
            Err(e) => {
                failures += 1;
                tracing::warn!(error = %e, "events feed: cannot read; retrying");
                super::processor::retry_delay(failures)
                    .clamp(deps.settings.poll_interval, Duration::from_secs(60))
            }
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Reads one page after the stored cursor (finding the start first if there is none);
/// true when the page was full (more is waiting).
async fn poll_once(deps: &PipelineDeps, token: &SecretString) -> Result<bool, PollError> {
    let key = cursor_key(&deps.backend);
    let cursor = match deps.store.get_state(&key).await? {
        Some(c) => c,
        None => return first_start(deps, token).await,
    };
    let after = (cursor != FROM_START).then_some(cursor.as_str());
    let page = deps.client.events(token, after, Some(PAGE)).await?;
    let full = page.items.len() == PAGE as usize;
    if let Some(last) = page.items.last().map(|e| e.id.clone()) {
        let fresh = deps
            .store
            .notify()
            .receive(&deps.backend, &page.items, "poll", Some(&last))
            .await?;
        if fresh > 0 {
            Metrics::add(&deps.metrics.events_poll, fresh as u64);
            deps.wakers.processor.notify_one();
        }
    }
    Ok(full)
}

/// The key of the moment the bot first ran on a backend (RFC 3339).
pub fn first_start_key(backend: &str) -> String {
    format!("events.first_start:{backend}")
}

/// Finds where to start reading a backend the bot has never read: at the moment it first
/// ran on it (recorded at start-up, so a poller that restarts loses nothing), less the
/// backfill window. Past events before that are not announced. True when more may be
/// waiting right away; false when `since` found nothing yet (no cursor is stored then, and
/// asking again at once would spin on a quiet feed).
///
/// With `since` the API seeks there exactly. Without it, a fresh start (within a minute
/// of the first run) seeks to the newest event with `after=latest`; otherwise the feed is
/// paged from its start, storing only the events at or after the anchor.
async fn first_start(deps: &PipelineDeps, token: &SecretString) -> Result<bool, PollError> {
    let store = deps.store.notify();
    let now = Utc::now();
    let anchor = deps
        .store
        .get_or_init_state(&first_start_key(&deps.backend), || now.to_rfc3339())
        .await?;
    let anchor = chrono::DateTime::parse_from_rfc3339(&anchor)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let window = deps.settings.backfill.unwrap_or_default();
    let since = chrono::Duration::from_std(window)
        .ok()
        .and_then(|w| anchor.checked_sub_signed(w))
        .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC);
    let meta = deps.client.announced().await?;
    if meta.has(capability::EVENTS_SINCE) {
        let page = deps.client.events_since(token, since, Some(PAGE)).await?;
        // Nothing yet: no cursor, so the next poll asks `since` again (nothing is skipped).
        if let Some(last) = page.items.last().map(|e| e.id.clone()) {
            let n = store
                .receive(&deps.backend, &page.items, "poll", Some(&last))
                .await?;
            log_first_start(deps, "since", n);
            if n > 0 {
                Metrics::add(&deps.metrics.events_poll, n as u64);
                deps.wakers.processor.notify_one();
            }
        }
        return Ok(page.items.len() == PAGE as usize);
    }
    let fresh = (now - anchor) < chrono::Duration::seconds(60);
    if window.is_zero() && fresh && meta.has(capability::EVENTS_AFTER_LATEST) {
        let cursor = deps
            .client
            .events_latest(token)
            .await?
            .unwrap_or_else(|| FROM_START.to_string());
        store
            .receive(&deps.backend, &[], "poll", Some(&cursor))
            .await?;
        log_first_start(deps, "after=latest", 0);
        return Ok(true);
    }
    // No seeking: page the whole feed once, keeping only what is at or after `since`.
    let mut after: Option<String> = None;
    let mut kept = 0;
    let mut pages = 0u64;
    loop {
        let page = deps
            .client
            .events(token, after.as_deref(), Some(PAGE))
            .await?;
        pages += 1;
        let Some(last) = page.items.last().map(|e| e.id.clone()) else {
            break;
        };
        let recent: Vec<_> = page
            .items
            .iter()
            .filter(|e| e.occurred_at >= since)
            .cloned()
            .collect();
        kept += store
            .receive(&deps.backend, &recent, "poll", Some(&last))
            .await?;
        after = Some(last);
        if page.items.len() < PAGE as usize {
            break;
        }
    }
    if after.is_none() {
        store
            .receive(&deps.backend, &[], "poll", Some(FROM_START))
            .await?;
    }
    tracing::info!(
        pages,
        kept,
        "events feed: paged to its end (the API cannot seek)"
    );
    log_first_start(deps, "paging", kept);
    if kept > 0 {
        Metrics::add(&deps.metrics.events_poll, kept as u64);
        deps.wakers.processor.notify_one();
    }
    Ok(true)
}

fn log_first_start(deps: &PipelineDeps, how: &str, kept: usize) {
    tracing::info!(
        backend = %deps.backend, how, kept, backfill = ?deps.settings.backfill,
        "events feed: first read of this backend; events before the bot first ran on it are \
         not announced (notifications.backfill announces a window on purpose)"
    );
}
