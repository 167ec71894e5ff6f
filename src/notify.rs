//! Staff and customer notifications: events come in (signed webhooks and the events
//! feed) → a durable inbox (each event once per backend) → jobs planned and written to a
//! durable outbox in the same transaction that marks the event processed → one
//! dispatcher paces and coalesces them into Discord messages, each with a nonce so a
//! crash never doubles one.
//!
//! Every stage runs under a supervisor that restarts it (with backoff) if it ever ends,
//! and reports its state in `/readyz`; a retention stage keeps the tables bounded.

pub mod compose;
pub mod delivery;
pub mod dispatcher;
pub mod health;
pub mod plan;
pub mod poller;
pub mod processor;
pub mod webhook;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use secrecy::SecretString;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::client::ApiClient;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::ticket::Topic;
use health::{Health, StageState};

/// Where notifications go and which ones are sent.
#[derive(Clone, Debug)]
pub struct NotifySettings {
    /// The default staff channel.
    pub default_channel: Option<u64>,
    /// Per-topic overrides (topic API value → channel).
    pub topic_channels: HashMap<i64, u64>,
    /// A role mentioned (and the only one allowed to be pinged) in staff messages.
    pub staff_role: Option<u64>,
    /// DM the customer on other transitions (In Progress, reopened, Closed, staff replies).
    pub customer_updates: bool,
    /// Also post In Progress / reopened / Closed in staff channels.
    pub staff_all_transitions: bool,
    pub poll_interval: Duration,
    /// On a first start (or a new backend), how far back the feed is announced; None
    /// starts at the newest event.
    pub backfill: Option<Duration>,
    /// How long finished rows are kept (and opener records after their ticket closed).
    pub retention: Duration,
    /// How often the retention pass runs.
    pub retention_every: Duration,
    /// Tries of one event before it is announced from what the event itself says.
    pub max_event_attempts: u32,
    /// How long a user whose DMs are closed is not tried again.
    pub dm_closed_for: Duration,
    /// `notifications.locale`: the language of staff messages (unset: the server's).
    pub locale: Option<crate::i18n::Locale>,
    /// `discord.guild_id`: the server whose preferred locale staff messages use when
    /// `locale` is unset (unset: the one server the bot has seen, if only one).
    pub staff_guild: Option<u64>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            default_channel: None,
            topic_channels: HashMap::new(),
            staff_role: None,
            customer_updates: true,
            staff_all_transitions: false,
            poll_interval: Duration::from_secs(2),
            backfill: None,
            retention: Duration::from_secs(30 * 86_400),
            retention_every: Duration::from_secs(3_600),
            max_event_attempts: 8,
            dm_closed_for: Duration::from_secs(86_400),
            locale: None,
            staff_guild: None,
        }
    }
}

impl NotifySettings {
    pub fn channel_for(&self, topic: Topic) -> Option<u64> {
        self.topic_channels
            .get(&topic.api_value())
            .copied()
            .or(self.default_channel)
    }
}

/// Wake-ups between the stages, so an event is handled at once instead of at the next
/// poll.
#[derive(Clone, Default)]
pub struct Wakers {
    pub processor: Arc<Notify>,
    pub dispatcher: Arc<Notify>,
}

pub struct PipelineDeps {
    pub store: Store,
    pub client: ApiClient,
    /// The identity of the ticket API in use: events, cursors and opener records of any
    /// other backend are never mixed with its own.
    pub backend: String,
    /// The bot's integration token (events feed, ticket subjects). Without it only
    /// webhooks feed the inbox.
    pub token: Option<SecretString>,
    pub settings: NotifySettings,
    pub rest: delivery::DiscordRest,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
    pub wakers: Wakers,
}

/// Starts the poller (when there is a token), the processor, the dispatcher and the
/// retention pass, each supervised.
pub fn spawn(deps: Arc<PipelineDeps>, tasks: &mut JoinSet<()>, shutdown: CancellationToken) {
    deps.health.enable();
    if deps.token.is_some() {
        tasks.spawn(supervise(
            "poller",
            deps.clone(),
            shutdown.clone(),
            poller::run,
        ));
    }
    tasks.spawn(supervise(
        "processor",
        deps.clone(),
        shutdown.clone(),
        processor::run,
    ));
    tasks.spawn(supervise(
        "dispatcher",
        deps.clone(),
        shutdown.clone(),
        dispatcher::run,
    ));
    tasks.spawn(supervise("retention", deps, shutdown, retention));
}

/// Runs a stage until shutdown; if it ends before that (a panic, or a return it should
/// never make) it is counted, logged and started again after a growing pause.
async fn supervise<F, Fut>(
    stage: &'static str,
    deps: Arc<PipelineDeps>,
    shutdown: CancellationToken,
    run: F,
) where
    F: Fn(Arc<PipelineDeps>, CancellationToken) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let new_delays = || {
        ExponentialBuilder::default()
            .with_min_delay(Duration::from_secs(1))
            .with_max_delay(Duration::from_secs(60))
            .without_max_times()
            .with_jitter()
            .build()
    };
    let mut delays = new_delays();
    loop {
        deps.health.set_stage(stage, StageState::Running);
        let started = Instant::now();
        let result = tokio::spawn(run(deps.clone(), shutdown.clone())).await;
        if shutdown.is_cancelled() {
            return;
        }
        let error = match result {
            Ok(()) => "ended unexpectedly".to_string(),
            Err(e) if e.is_panic() => {
                let p = e.into_panic();
                let text = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                format!("panicked: {text}")
            }
            Err(e) => e.to_string(),
        };
        deps.health.count_restart(stage);
        deps.metrics.stage_restarted(stage);
        deps.health.set_stage(
            stage,
            StageState::Restarting {
                error: error.clone(),
            },
        );
        // A stage that ran a while before failing starts again quickly.
        if started.elapsed() > Duration::from_secs(300) {
            delays = new_delays();
        }
        let wait = delays.next().unwrap_or(Duration::from_secs(60));
        tracing::error!(stage, %error, ?wait, "notification stage stopped; restarting it");
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// A fault point for the supervisor's end-to-end test: in debug builds only,
/// `PARADARUM_BOT_TEST_PANIC=<stage>[,<stage>…]` makes each named stage panic once, the
/// first time it starts. Release builds compile it away.
pub(crate) fn test_fault(stage: &str) {
    #[cfg(debug_assertions)]
    {
        use std::sync::Mutex;
        static FIRED: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let Ok(list) = std::env::var("PARADARUM_BOT_TEST_PANIC") else {
            return;
        };
        if !list.split(',').any(|s| s.trim() == stage) {
            return;
        }
        let first = FIRED.lock().is_ok_and(|mut f| {
            if f.iter().any(|s| s == stage) {
                false
            } else {
                f.push(stage.to_string());
                true
            }
        });
        if first {
            panic!("test fault in the {stage} stage");
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = stage;
}

/// Deletes finished rows older than the retention period, at start and then
/// periodically; also refreshes the backlog gauges.
async fn retention(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    test_fault("retention");
    loop {
        let now = crate::store::now_millis();
        let keep = i64::try_from(deps.settings.retention.as_millis()).unwrap_or(i64::MAX);
        match deps
            .store
            .notify()
            .prune(now.saturating_sub(keep), now)
            .await
        {
            Ok(p) if p.total() > 0 => {
                Metrics::add(&deps.metrics.retention_deleted, p.total());
                tracing::info!(
                    inbox = p.inbox,
                    outbox = p.outbox,
                    openers = p.openers,
                    dm_channels = p.dm_channels,
                    "retention: deleted finished notification rows"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "retention pass failed; trying again later"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(deps.settings.retention_every) => {}
        }
    }
}
