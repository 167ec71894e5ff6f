//! Event retention: when `SandboxConfig::retention` is set, events older than it are
//! deleted once at start and then every hour — never the newest event, and never one
//! the webhook sender has not finished with.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::webhooks;
use crate::store::{Store, StoreError};

/// How often retention runs after the first time (at start).
pub const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);

/// One pruning pass: deletes events that occurred more than `keep` ago. With webhooks on,
/// events after the sender's cursor are kept whatever their age.
pub async fn prune_once(
    store: &Store,
    keep: Duration,
    webhooks_on: bool,
) -> Result<u64, StoreError> {
    let keep_ms = i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
    let older_than = crate::store::now_millis().saturating_sub(keep_ms);
    let undelivered_after = if webhooks_on {
        Some(webhooks::delivered_up_to(store).await?)
    } else {
        None
    };
    store
        .sandbox()
        .prune_events(older_than, undelivered_after)
        .await
}

/// Prunes at once, then every [`PRUNE_EVERY`], until `shutdown`.
pub async fn run(store: Store, keep: Duration, webhooks_on: bool, shutdown: CancellationToken) {
    tracing::info!(?keep, "sandbox event retention on");
    loop {
        match prune_once(&store, keep, webhooks_on).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "sandbox events pruned"),
            Err(e) => tracing::warn!(error = %e, "sandbox event retention: cannot prune"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(PRUNE_EVERY) => {}
        }
    }
}
