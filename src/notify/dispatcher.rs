//! Outbox → Discord. One loop, paced per channel under Discord's limit (5 messages per
//! 5 s); staff messages coalesce a backlog into few messages. A batch is fixed in the
//! store before it is sent and carries a nonce derived from it with `enforce_nonce`, so a
//! crash between sending and recording never posts twice. 5xx, timeouts and 429 are
//! retried with backoff; a channel that answers 403/404 is parked, not retried.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::compose;
use super::delivery::SendError;
use super::plan::KIND_DM;
use super::PipelineDeps;
use crate::metrics::Metrics;
use crate::store::notify::Job;
use crate::store::now_millis;

/// Discord's commonly observed per-channel limit.
const WINDOW: Duration = Duration::from_secs(5);
const PER_WINDOW: usize = 5;
/// Most jobs considered for one staff message (compose keeps what fits).
const COALESCE_MAX: u32 = 200;
const MAX_BACKOFF_MS: i64 = 60_000;
const IDLE_WAIT: Duration = Duration::from_millis(500);

/// Sliding-window pacing per channel.
#[derive(Default)]
struct Pacer {
    sent: HashMap<u64, VecDeque<Instant>>,
    blocked_until: HashMap<u64, Instant>,
}

impl Pacer {
    /// How long until `channel` may take another message (zero: now).
    fn wait_for(&mut self, channel: u64) -> Duration {
        let now = Instant::now();
        let mut wait = self
            .blocked_until
            .get(&channel)
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now));
        let q = self.sent.entry(channel).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() >= PER_WINDOW {
            wait = wait.max((q[0] + WINDOW).saturating_duration_since(now));
        }
        wait
    }

    fn record(&mut self, channel: u64) {
        self.sent
            .entry(channel)
            .or_default()
            .push_back(Instant::now());
    }

    fn block(&mut self, channel: u64, d: Duration) {
        self.blocked_until.insert(channel, Instant::now() + d);
    }
}

pub async fn run(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    let mut pacer = Pacer::default();
    loop {
        let next = match round(&deps, &mut pacer).await {
            Ok(wait) => wait,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: delivery paused");
                Duration::from_secs(2)
            }
        };
        if shutdown.is_cancelled() {
            return;
        }
        if next.is_zero() {
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = deps.wakers.dispatcher.notified() => {}
            _ = tokio::time::sleep(next) => {}
        }
    }
}

/// One pass over what is due; returns how long to wait before the next pass.
async fn round(deps: &PipelineDeps, pacer: &mut Pacer) -> Result<Duration, String> {
    let store = deps.store.notify();
    let now = now_millis();
    let mut next = IDLE_WAIT;
    let mut progressed = false;

    // Batches already fixed (a previous attempt, maybe before a crash) go first, as they
    // were: the same jobs and the same nonce.
    for batch in store.due_batches(now).await.map_err(|e| e.to_string())? {
        let jobs = store.batch_jobs(batch).await.map_err(|e| e.to_string())?;
        let Some(first) = jobs.first() else { continue };
        let channel_key = pace_key(first);
        let wait = pacer.wait_for(channel_key);
        if !wait.is_zero() {
            next = next.min(wait);
            continue;
        }
        send_batch(deps, pacer, batch, &jobs).await?;
        progressed = true;
    }

    for (kind, target) in store.due_targets(now).await.map_err(|e| e.to_string())? {
        let key = if kind == KIND_DM {
            dm_key(target)
        } else {
            target
        };
        let wait = pacer.wait_for(key);
        if !wait.is_zero() {
            next = next.min(wait);
            continue;
        }
        let limit = if kind == KIND_DM { 1 } else { COALESCE_MAX };
        let pending = store
            .pending_jobs(&kind, target, limit)
            .await
            .map_err(|e| e.to_string())?;
        if pending.is_empty() {
            continue;
        }
        // Decide what fits in one message before fixing the batch.
        let used = if kind == KIND_DM {
            1
        } else {
            compose::staff(&kind, &pending, deps.settings.staff_role, "x")
                .used
                .max(1)
        };
        let ids: Vec<i64> = pending[..used].iter().map(|j| j.id).collect();
        let batch = store.start_batch(&ids).await.map_err(|e| e.to_string())?;
        let jobs = store.batch_jobs(batch).await.map_err(|e| e.to_string())?;
        send_batch(deps, pacer, batch, &jobs).await?;
        progressed = true;
    }
    Ok(if progressed { Duration::ZERO } else { next })
}

/// DMs are paced per user (their DM channel is not known before it is opened).
fn dm_key(user: u64) -> u64 {
    user ^ 0x8000_0000_0000_0000
}

fn pace_key(job: &Job) -> u64 {
    if job.kind == KIND_DM {
        dm_key(job.target)
    } else {
        job.target
    }
}

async fn send_batch(
    deps: &PipelineDeps,
    pacer: &mut Pacer,
    batch: i64,
    jobs: &[Job],
) -> Result<(), String> {
    let store = deps.store.notify();
    let Some(first) = jobs.first() else {
        return Ok(());
    };
    let nonce = format!("pn{batch}");
    let kind = first.kind.as_str();
    let key = pace_key(first);
    pacer.record(key);
    let result = if kind == KIND_DM {
        send_dm(deps, first, &nonce).await
    } else {
        let body = compose::staff(kind, jobs, deps.settings.staff_role, &nonce).body;
        deps.rest
            .create_message(first.target, &body)
            .await
            .map(|_| ())
    };
    match result {
        Ok(()) => {
            store
                .finish_batch(batch, "sent")
                .await
                .map_err(|e| e.to_string())?;
            Metrics::inc(&deps.metrics.messages_sent);
            let counter = if kind == KIND_DM {
                &deps.metrics.sent_dm
            } else {
                &deps.metrics.sent_staff
            };
            Metrics::add(counter, jobs.len() as u64);
            let now = now_millis();
            for j in jobs {
                let ms = (now - j.received_at).max(0) as u64;
                deps.metrics.observe_latency(Duration::from_millis(ms));
            }
        }
        Err(SendError::RateLimited(d)) => {
            Metrics::inc(&deps.metrics.discord_429);
            pacer.block(key, d);
            let at = now_millis() + d.as_millis() as i64;
            store
                .retry_batch_at(batch, at)
                .await
                .map_err(|e| e.to_string())?;
        }
        Err(SendError::Transient(reason)) => {
            let backoff = (1000i64 << first.attempts.clamp(0, 6)).min(MAX_BACKOFF_MS);
            tracing::warn!(batch, %reason, backoff_ms = backoff, "notification send failed; will retry");
            store
                .retry_batch_at(batch, now_millis() + backoff)
                .await
                .map_err(|e| e.to_string())?;
        }
        Err(SendError::Refused { status, code }) if kind == KIND_DM => {
            // Closed DMs (50007) and the like: nothing else is lost.
            Metrics::inc(&deps.metrics.dm_failures);
            tracing::warn!(
                user = first.target,
                ticket = first.ticket_id,
                status,
                code,
                "DM refused by Discord"
            );
            store
                .finish_batch(batch, "failed")
                .await
                .map_err(|e| e.to_string())?;
        }
        Err(SendError::Refused { status, code }) if status == 403 || status == 404 => {
            let parked = store
                .park_target(kind, first.target)
                .await
                .map_err(|e| e.to_string())?;
            Metrics::add(&deps.metrics.parked, parked);
            tracing::error!(
                channel = first.target,
                status,
                code,
                parked,
                "Discord refuses this staff channel: its notifications are parked (check the \
                 channel id and the bot's permissions)"
            );
        }
        Err(SendError::Refused { status, code }) => {
            tracing::error!(
                batch,
                status,
                code,
                "Discord rejected a notification; dropped"
            );
            store
                .finish_batch(batch, "failed")
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

async fn send_dm(deps: &PipelineDeps, job: &Job, nonce: &str) -> Result<(), SendError> {
    let store = deps.store.notify();
    let channel = match store.dm_channel(job.target).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            let c = deps.rest.open_dm(job.target).await?;
            let _ = store.save_dm_channel(job.target, c).await;
            c
        }
        Err(e) => return Err(SendError::Transient(e.to_string())),
    };
    let body = compose::dm(job, nonce);
    deps.rest.create_message(channel, &body).await.map(|_| ())
}
