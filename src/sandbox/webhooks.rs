//! The sandbox's webhook sender: every event, in order, as a Standard Webhooks POST,
//! retried with exponential backoff on anything but a 2xx. The cursor is persisted, so a
//! restart resumes where it stopped (receivers de-duplicate by `webhook-id`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::WebhookTarget;
use crate::store::{Store, StoreError};
use crate::ticket::api::Event;

const CURSOR_KEY: &str = "sandbox.webhook_cursor";
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Even without a wake-up, look for events this often (a missed notify costs at most this).
const POLL_EVERY: Duration = Duration::from_secs(1);

/// The sequence number of the last event the sender has finished with (delivered or
/// given up on); 0 before the first. Events after it must be kept for the sender.
pub async fn delivered_up_to(store: &Store) -> Result<u64, StoreError> {
    Ok(store
        .get_state(CURSOR_KEY)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub async fn deliver(
    store: Store,
    wake: Arc<Notify>,
    target: WebhookTarget,
    shutdown: CancellationToken,
) {
    let http = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .user_agent(concat!("paradarum-sandbox/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "sandbox webhooks disabled: cannot build an HTTP client");
            return;
        }
    };
    let mut cursor: u64 = match delivered_up_to(&store).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "sandbox webhooks disabled: cannot read the cursor");
            return;
        }
    };
    tracing::info!(url = %crate::app::redacted_url(&target.url), "sandbox sends signed webhooks");
    loop {
        let batch = match store.sandbox().events(cursor, 100).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "sandbox webhooks: cannot read events");
                Vec::new()
            }
        };
        for event in &batch {
            if !send_with_retries(&http, &target, event, &shutdown).await {
                return; // shutting down; the cursor still points before this event
            }
            cursor = event.sequence().unwrap_or(cursor);
            if let Err(e) = store.put_state(CURSOR_KEY, &cursor.to_string()).await {
                tracing::warn!(error = %e, "sandbox webhooks: cannot save the cursor");
            }
        }
        if batch.len() == 100 {
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL_EVERY) => {}
        }
    }
}

/// Sends one event until a 2xx or `max_attempts`; false only when shutting down.
async fn send_with_retries(
    http: &reqwest::Client,
    target: &WebhookTarget,
    event: &Event,
    shutdown: &CancellationToken,
) -> bool {
    let body = match serde_json::to_vec(event) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, event = %event.id, "cannot serialize event; skipped");
            return true;
        }
    };
    let mut backoff = target.first_backoff;
    for attempt in 1..=target.max_attempts {
        let ts = chrono::Utc::now().timestamp();
        let signature = target.secret.sign(&event.id, ts, &body);
        let result = http
            .post(target.url.clone())
            .header("content-type", "application/json")
            .header("webhook-id", &event.id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", signature)
            .body(body.clone())
            .send()
            .await;
        match result {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => {
                tracing::warn!(event = %event.id, attempt, status = %r.status(), "webhook refused")
            }
            Err(e) => tracing::warn!(event = %event.id, attempt, error = %e, "webhook failed"),
        }
        if attempt == target.max_attempts {
            break;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return false,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
    tracing::error!(
        event = %event.id,
        attempts = target.max_attempts,
        "webhook given up; the events feed still has it"
    );
    true
}
