//! Staff and customer notifications: events come in (signed webhooks and the events
//! feed) → a durable inbox (each event once) → jobs planned and written to a durable
//! outbox in the same transaction that marks the event processed → one dispatcher paces
//! and coalesces them into Discord messages, each with a nonce so a crash never doubles one.

pub mod compose;
pub mod delivery;
pub mod dispatcher;
pub mod plan;
pub mod poller;
pub mod processor;
pub mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::client::ApiClient;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::ticket::Topic;

/// Where notifications go and which ones are sent.
#[derive(Clone, Debug, Default)]
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
    /// The bot's integration token (events feed, ticket subjects). Without it only
    /// webhooks feed the inbox.
    pub token: Option<SecretString>,
    pub settings: NotifySettings,
    pub rest: delivery::DiscordRest,
    pub metrics: Arc<Metrics>,
    pub wakers: Wakers,
}

/// Starts the poller (when there is a token), the processor and the dispatcher.
pub fn spawn(deps: PipelineDeps, tasks: &mut JoinSet<()>, shutdown: CancellationToken) {
    let deps = Arc::new(deps);
    if deps.token.is_some() {
        tasks.spawn(poller::run(deps.clone(), shutdown.clone()));
    }
    tasks.spawn(processor::run(deps.clone(), shutdown.clone()));
    tasks.spawn(dispatcher::run(deps, shutdown));
}
