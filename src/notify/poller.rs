//! The backstop: reads `GET /v1/events?after=` with the integration token, cursor
//! persisted with the events it read, so nothing is missed when webhooks are lost.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::PipelineDeps;
use crate::metrics::Metrics;

const CURSOR: &str = "events.cursor";
const PAGE: u32 = 100;

pub async fn run(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    let Some(token) = deps.token.clone() else {
        return;
    };
    tracing::info!(every = ?deps.settings.poll_interval, "polling the ticket events feed");
    loop {
        let mut full_page = false;
        match deps.store.get_state(CURSOR).await {
            Err(e) => tracing::warn!(error = %e, "events feed: cannot read the cursor"),
            Ok(cursor) => match deps
                .client
                .events(&token, cursor.as_deref(), Some(PAGE))
                .await
            {
                Ok(page) => {
                    full_page = page.items.len() == PAGE as usize;
                    if let Some(last) = page.items.last().map(|e| e.id.clone()) {
                        match deps
                            .store
                            .notify()
                            .receive(&page.items, "poll", Some((CURSOR, &last)))
                            .await
                        {
                            Ok(fresh) if fresh > 0 => {
                                Metrics::add(&deps.metrics.events_poll, fresh as u64);
                                deps.wakers.processor.notify_one();
                            }
                            Ok(_) => {}
                            Err(e) => tracing::warn!(error = %e, "events feed: cannot store"),
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "events feed: cannot read"),
            },
        }
        let wait = if full_page {
            Duration::ZERO
        } else {
            deps.settings.poll_interval
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
