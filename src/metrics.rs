//! Prometheus metrics on `prometheus-client`: one [`Registry`] per process holding typed
//! counters, gauges and histograms. Labels take values from small fixed sets (never an
//! id, a user or a free text), so the number of series stays bounded.
//!
//! Every metric is named without the `paradarum_` prefix (the registry adds it) and
//! counters without `_total` (the encoder adds it). The list an operator reads is
//! README's "Operator's kit"; `deploy/` holds alerts and a dashboard over these names.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::{prometheus_text, text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::ticket::Topic;

/// Upper bounds (seconds) of the delivery latency histogram: event receipt to Discord.
const DELIVERY_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
/// Upper bounds (seconds) of the interaction acknowledgement histogram. Discord drops
/// an interaction not answered within 3 s: the buckets around it show how close we run.
const ACK_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0];
/// Upper bounds (seconds) of one ticket API request (the client's timeout is 5 s).
const API_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabel {
    source: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabel {
    endpoint: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StageLabel {
    stage: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RoleLabel {
    role: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ApiCallLabels {
    endpoint: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DeliveryLabels {
    target: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StaffActionLabels {
    action: &'static str,
    outcome: &'static str,
}

/// How a staff member's press or form from a notice ended (the `outcome` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffOutcome {
    /// Done as asked.
    Done,
    /// Not staff (or the ticket refuses it, e.g. Closed): answered privately.
    Refused,
    /// The ticket had moved on since the notice: "already …", nothing changed.
    Stale,
    /// The ticket API failed or refused the bot's token.
    Failed,
}

impl StaffOutcome {
    pub fn label(self) -> &'static str {
        match self {
            StaffOutcome::Done => "done",
            StaffOutcome::Refused => "refused",
            StaffOutcome::Stale => "stale",
            StaffOutcome::Failed => "failed",
        }
    }
}

/// The staff desk's actions (the `action` label).
const STAFF_ACTIONS: [&str; 4] = ["view", "start", "resolve", "reply"];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    target: &'static str,
    topic: &'static str,
}

/// Where a notification went (the `target` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryTarget {
    Staff,
    Dm,
}

impl DeliveryTarget {
    fn label(self) -> &'static str {
        match self {
            DeliveryTarget::Staff => "staff",
            DeliveryTarget::Dm => "dm",
        }
    }
}

/// What became of one Discord message the pipeline tried to post (the `outcome` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Sent,
    /// Discord answered 429; tried again after its Retry-After.
    RateLimited,
    /// No answer or a 5xx; tried again after a backoff.
    Retried,
    /// Refused for good (a DM Discord refuses, or a bad request); dropped.
    Refused,
    /// Discord refuses the staff channel (403/404): its jobs wait for an operator.
    Parked,
    /// A DM no longer due (unlinked, DMs closed, backend changed); never sent.
    Skipped,
}

impl DeliveryOutcome {
    const ALL: [DeliveryOutcome; 6] = [
        DeliveryOutcome::Sent,
        DeliveryOutcome::RateLimited,
        DeliveryOutcome::Retried,
        DeliveryOutcome::Refused,
        DeliveryOutcome::Parked,
        DeliveryOutcome::Skipped,
    ];

    fn label(self) -> &'static str {
        match self {
            DeliveryOutcome::Sent => "sent",
            DeliveryOutcome::RateLimited => "rate_limited",
            DeliveryOutcome::Retried => "retried",
            DeliveryOutcome::Refused => "refused",
            DeliveryOutcome::Parked => "parked",
            DeliveryOutcome::Skipped => "skipped",
        }
    }
}

/// Which kind of interaction was answered (the `kind` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InteractionKind {
    /// A slash command.
    Command,
    /// A button press.
    Component,
    /// A form submit.
    Modal,
}

impl InteractionKind {
    pub fn label(self) -> &'static str {
        match self {
            InteractionKind::Command => "command",
            InteractionKind::Component => "component",
            InteractionKind::Modal => "modal",
        }
    }
}

/// How one ticket API request ended (the `outcome` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiOutcome {
    /// A 2xx.
    Ok,
    /// A 4xx other than 429: the request (or its token) was refused.
    Rejected,
    /// A 429.
    RateLimited,
    /// A 5xx (or any other status).
    ServerError,
    /// No answer: connection refused, timeout, a body cut short.
    Unreachable,
}

impl ApiOutcome {
    /// The outcome of an HTTP answer with this status.
    pub fn from_status(status: u16) -> Self {
        match status {
            200..=299 => ApiOutcome::Ok,
            429 => ApiOutcome::RateLimited,
            400..=499 => ApiOutcome::Rejected,
            _ => ApiOutcome::ServerError,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ApiOutcome::Ok => "ok",
            ApiOutcome::Rejected => "rejected",
            ApiOutcome::RateLimited => "rate_limited",
            ApiOutcome::ServerError => "server_error",
            ApiOutcome::Unreachable => "unreachable",
        }
    }
}

/// The ticket API client's metrics, cheap to clone (each family is shared).
#[derive(Clone, Debug)]
pub struct ApiMetrics {
    requests: Family<ApiCallLabels, Counter>,
    duration: HistogramFamily<EndpointLabel>,
}

impl ApiMetrics {
    /// Records one request to `endpoint`, a route template such as
    /// `GET /v1/tickets/{id}` (never a path with ids in it: the label set must stay small).
    pub fn observe(&self, endpoint: &'static str, outcome: ApiOutcome, took: Duration) {
        self.requests
            .get_or_create(&ApiCallLabels {
                endpoint,
                outcome: outcome.label(),
            })
            .inc();
        self.duration
            .get_or_create(&EndpointLabel { endpoint })
            .observe(took.as_secs_f64());
    }
}

/// Which exposition format a scraper asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Prometheus text 0.0.4: what curl, older scrapers and the tests read.
    Text,
    /// OpenMetrics 1.0, which Prometheus asks for first.
    OpenMetrics,
}

impl Format {
    /// The format an `Accept` header asks for: OpenMetrics only when named.
    pub fn from_accept(accept: Option<&str>) -> Self {
        match accept {
            Some(a) if a.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::Text,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => prometheus_text::CONTENT_TYPE,
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub events_webhook: Counter,
    pub events_poll: Counter,
    pub signature_failures: Counter,
    pub sent_staff: Counter,
    pub sent_dm: Counter,
    pub messages_sent: Counter,
    pub dm_failures: Counter,
    pub parked: Counter,
    pub discord_429: Counter,
    pub escalations: Counter,
    /// Interactions another session acknowledged first (Discord 40060): dropped unanswered.
    pub interactions_duplicate: Counter,
    /// Events announced from the event alone after their ticket could not be read.
    pub events_degraded: Counter,
    /// DMs not sent: the user unlinked, their DMs are closed, or the backend changed.
    pub dm_skipped: Counter,
    /// Rows deleted by retention.
    pub retention_deleted: Counter,
    /// Invalid Discord answers (401/403/429) in the last 10 minutes (a gauge).
    pub discord_invalid_10m: Gauge,
    /// `/readyz` and `/metrics` answered 503 because all their slots were taken.
    pub readyz_refused: Counter,
    pub scrapes_refused: Counter,
    /// Gateway sessions identified (READY events): Discord allows 1,000 a day.
    pub identifies: Counter,
    /// The ticket API client's request counts and durations.
    pub api: ApiMetrics,
    stage_restarts: Family<StageLabel, Counter>,
    staff_actions: Family<StaffActionLabels, Counter>,
    deliveries: Family<DeliveryLabels, Counter>,
    delivery_latency: HistogramFamily<LatencyLabels>,
    interaction_ack: HistogramFamily<KindLabel>,
    // Read from elsewhere at scrape time (see [`Scrape`]).
    outbox_depth: Gauge,
    inbox_backlog: Gauge,
    inbox_oldest_age: Gauge<f64, AtomicU64>,
    paused: Gauge,
    gateway_connected: Gauge,
    role_held: Family<RoleLabel, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn delivery_histogram() -> Histogram {
    Histogram::new(DELIVERY_BUCKETS)
}

fn ack_histogram() -> Histogram {
    Histogram::new(ACK_BUCKETS)
}

fn api_histogram() -> Histogram {
    Histogram::new(API_BUCKETS)
}

impl Metrics {
    pub fn new() -> Self {
        let mut r = Registry::with_prefix("paradarum");

        let events = Family::<SourceLabel, Counter>::default();
        r.register(
            "events_received",
            "Ticket events received, by source (new ones only)",
            events.clone(),
        );
        let signature_failures = Counter::default();
        r.register(
            "webhook_signature_failures",
            "Webhooks refused for a bad or stale signature",
            signature_failures.clone(),
        );
        let sent = Family::<KindLabel, Counter>::default();
        r.register(
            "notifications_sent",
            "Notifications delivered, by kind (a coalesced message counts each ticket)",
            sent.clone(),
        );
        let messages_sent = Counter::default();
        r.register(
            "discord_messages_sent",
            "Discord messages posted by the notification pipeline",
            messages_sent.clone(),
        );
        let dm_failures = Counter::default();
        r.register(
            "dm_failures",
            "DMs Discord refused (closed DMs)",
            dm_failures.clone(),
        );
        let parked = Counter::default();
        r.register(
            "jobs_parked",
            "Notification jobs parked because Discord refused their channel (403/404)",
            parked.clone(),
        );
        let discord_429 = Counter::default();
        r.register(
            "discord_rate_limited",
            "429 answers from Discord to the notification pipeline",
            discord_429.clone(),
        );
        let escalations = Counter::default();
        r.register(
            "escalations",
            "Tickets moved to Billing or SSL by moderators",
            escalations.clone(),
        );
        let interactions_duplicate = Counter::default();
        r.register(
            "interactions_duplicate",
            "Interactions already acknowledged by another session (Discord 40060), dropped",
            interactions_duplicate.clone(),
        );
        let events_degraded = Counter::default();
        r.register(
            "events_degraded",
            "Events announced from the event alone, their ticket unreadable after every try",
            events_degraded.clone(),
        );
        let dm_skipped = Counter::default();
        r.register(
            "dm_skipped",
            "DMs not sent: the user unlinked, their DMs are closed, or the backend changed",
            dm_skipped.clone(),
        );
        let retention_deleted = Counter::default();
        r.register(
            "retention_deleted",
            "Finished notification rows deleted by retention",
            retention_deleted.clone(),
        );
        let probes_refused = Family::<EndpointLabel, Counter>::default();
        r.register(
            "probes_refused",
            "Readiness probes and metrics scrapes answered 503 because too many ran at once",
            probes_refused.clone(),
        );
        let stage_restarts = Family::<StageLabel, Counter>::default();
        r.register(
            "stage_restarts",
            "Notification stages restarted after ending unexpectedly",
            stage_restarts.clone(),
        );
        let staff_actions = Family::<StaffActionLabels, Counter>::default();
        r.register(
            "staff_actions",
            "Staff presses and forms on ticket notices, by action (view, start, resolve, \
             reply) and outcome (done, refused, stale, failed)",
            staff_actions.clone(),
        );
        let deliveries = Family::<DeliveryLabels, Counter>::default();
        r.register(
            "deliveries",
            "Discord messages the notification pipeline tried to post, by target (staff \
             channel or DM) and outcome",
            deliveries.clone(),
        );
        let api_requests = Family::<ApiCallLabels, Counter>::default();
        r.register(
            "ticket_api_requests",
            "Ticket API requests (each retry counts), by endpoint and outcome",
            api_requests.clone(),
        );

        let outbox_depth = Gauge::default();
        r.register(
            "outbox_depth",
            "Notification jobs not yet sent",
            outbox_depth.clone(),
        );
        let inbox_backlog = Gauge::default();
        r.register(
            "inbox_backlog",
            "Ticket events received and not yet processed",
            inbox_backlog.clone(),
        );
        let inbox_oldest_age = Gauge::<f64, AtomicU64>::default();
        r.register(
            "inbox_oldest_age_seconds",
            "Age of the oldest unprocessed ticket event (0 when none)",
            inbox_oldest_age.clone(),
        );
        let paused = Gauge::default();
        r.register(
            "notifications_paused",
            "1 while the ticket API refuses the integration token",
            paused.clone(),
        );
        let gateway_connected = Gauge::default();
        r.register(
            "gateway_connected",
            "1 while the Discord gateway is connected and heard from",
            gateway_connected.clone(),
        );
        let role_held = Family::<RoleLabel, Gauge>::default();
        r.register(
            "role_held",
            "1 while this replica holds the role (gateway: any shard group)",
            role_held.clone(),
        );
        let identifies = Counter::default();
        r.register(
            "gateway_identifies",
            "Gateway sessions identified (READY events); Discord allows 1,000 a day",
            identifies.clone(),
        );
        let discord_invalid_10m = Gauge::default();
        r.register(
            "discord_invalid_requests_10m",
            "Invalid Discord answers (401/403/429) to notifications in the last 10 minutes \
             (Discord bans at 10,000)",
            discord_invalid_10m.clone(),
        );

        let delivery_latency =
            HistogramFamily::<LatencyLabels>::new_with_constructor(delivery_histogram);
        r.register(
            "delivery_latency_seconds",
            "From event receipt (webhook or feed) to its notification posted on Discord, by \
             target and ticket topic",
            delivery_latency.clone(),
        );
        let interaction_ack = HistogramFamily::<KindLabel>::new_with_constructor(ack_histogram);
        r.register(
            "interaction_ack_seconds",
            "From an interaction's creation (its id) to the bot's first answer, by kind \
             (Discord gives up after 3 s)",
            interaction_ack.clone(),
        );
        let api_duration = HistogramFamily::<EndpointLabel>::new_with_constructor(api_histogram);
        r.register(
            "ticket_api_request_duration_seconds",
            "Duration of one ticket API request (each retry apart), by endpoint",
            api_duration.clone(),
        );

        // Series that are read by label exist from the start, at 0, so a rate or an
        // absent-series alert has something to read before the first event.
        let source = |source| events.get_or_create(&SourceLabel { source }).clone();
        let (events_webhook, events_poll) = (source("webhook"), source("poll"));
        let kind = |kind| sent.get_or_create(&KindLabel { kind }).clone();
        let (sent_staff, sent_dm) = (kind("staff"), kind("dm"));
        let readyz_refused = probes_refused
            .get_or_create(&EndpointLabel { endpoint: "readyz" })
            .clone();
        let scrapes_refused = probes_refused
            .get_or_create(&EndpointLabel {
                endpoint: "metrics",
            })
            .clone();
        for target in [DeliveryTarget::Staff, DeliveryTarget::Dm] {
            for outcome in DeliveryOutcome::ALL {
                let _ = deliveries.get_or_create_owned(&DeliveryLabels {
                    target: target.label(),
                    outcome: outcome.label(),
                });
            }
            for topic in TOPIC_LABELS {
                let _ = delivery_latency.get_or_create_owned(&LatencyLabels {
                    target: target.label(),
                    topic,
                });
            }
        }
        for kind in [
            InteractionKind::Command,
            InteractionKind::Component,
            InteractionKind::Modal,
        ] {
            let _ = interaction_ack.get_or_create_owned(&KindLabel { kind: kind.label() });
        }
        for stage in STAGES {
            let _ = stage_restarts.get_or_create_owned(&StageLabel { stage });
        }
        for action in STAFF_ACTIONS {
            let _ = staff_actions.get_or_create_owned(&StaffActionLabels {
                action,
                outcome: StaffOutcome::Done.label(),
            });
        }

        Self {
            registry: r,
            events_webhook,
            events_poll,
            signature_failures,
            sent_staff,
            sent_dm,
            messages_sent,
            dm_failures,
            parked,
            discord_429,
            escalations,
            interactions_duplicate,
            events_degraded,
            dm_skipped,
            retention_deleted,
            discord_invalid_10m,
            readyz_refused,
            scrapes_refused,
            api: ApiMetrics {
                requests: api_requests,
                duration: api_duration,
            },
            stage_restarts,
            staff_actions,
            deliveries,
            delivery_latency,
            interaction_ack,
            outbox_depth,
            inbox_backlog,
            inbox_oldest_age,
            paused,
            gateway_connected,
            role_held,
            identifies,
        }
    }

    pub fn inc(c: &Counter) {
        c.inc();
    }

    pub fn add(c: &Counter, n: u64) {
        c.inc_by(n);
    }

    /// Sets a gauge.
    pub fn set(g: &Gauge, n: u64) {
        g.set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    /// Counts a notification stage restarted by its supervisor.
    pub fn stage_restarted(&self, stage: &'static str) {
        self.stage_restarts
            .get_or_create(&StageLabel { stage })
            .inc();
    }

    /// Counts one staff action from a notice; an action outside the fixed set is not
    /// counted (labels stay bounded).
    pub fn staff_action(&self, action: &str, outcome: StaffOutcome) {
        if let Some(action) = STAFF_ACTIONS.iter().find(|a| **a == action) {
            self.staff_actions
                .get_or_create(&StaffActionLabels {
                    action,
                    outcome: outcome.label(),
                })
                .inc();
        }
    }

    /// Counts one Discord message the pipeline tried to post.
    pub fn delivery(&self, target: DeliveryTarget, outcome: DeliveryOutcome) {
        self.deliveries
            .get_or_create(&DeliveryLabels {
                target: target.label(),
                outcome: outcome.label(),
            })
            .inc();
    }

    /// Records how long a notification took from receipt of its event to its send.
    pub fn observe_latency(&self, target: DeliveryTarget, topic: Option<Topic>, d: Duration) {
        self.delivery_latency
            .get_or_create(&LatencyLabels {
                target: target.label(),
                topic: topic_label(topic),
            })
            .observe(d.as_secs_f64());
    }

    /// Records the first answer to interaction `id`, timed from its creation (the time in
    /// its snowflake, as Discord's 3 s window is) to now.
    pub fn interaction_acked(&self, kind: InteractionKind, id: u64) {
        let created = (id >> 22) as i64 + DISCORD_EPOCH_MS;
        let ms = (crate::store::now_millis() - created).max(0);
        self.interaction_ack
            .get_or_create(&KindLabel { kind: kind.label() })
            .observe(ms as f64 / 1000.0);
    }

    /// The exposition in `format`, with the values read at scrape time.
    pub fn render(&self, now: &Scrape, format: Format) -> String {
        self.outbox_depth.set(now.outbox_depth);
        self.inbox_backlog.set(now.inbox_backlog);
        self.inbox_oldest_age.set(now.inbox_oldest_age_secs);
        self.paused.set(i64::from(now.paused));
        self.gateway_connected
            .set(i64::from(now.gateway_connected.unwrap_or(false)));
        for (role, held) in &now.roles {
            self.role_held
                .get_or_create(&RoleLabel { role })
                .set(i64::from(*held));
        }
        let mut out = String::new();
        // Writing to a String cannot fail; an encoding error would be a bug in a label.
        let encoded = match format {
            Format::Text => prometheus_text::encode(&mut out, &self.registry),
            Format::OpenMetrics => text::encode(&mut out, &self.registry),
        };
        if let Err(e) = encoded {
            tracing::error!(error = %e, "could not encode the metrics");
        }
        out
    }
}

/// Discord's epoch (2015-01-01) in Unix milliseconds, the zero of snowflake times.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// The notification stages `notify.rs` supervises (restarts are counted per stage).
const STAGES: [&str; 4] = ["poller", "processor", "dispatcher", "retention"];

/// Every value [`topic_label`] gives.
const TOPIC_LABELS: [&str; 8] = [
    "general",
    "networking",
    "rules",
    "billing",
    "ssl",
    "performance",
    "unknown",
    "none",
];

/// A topic as a label value: the six known ones, `unknown` or `none` (eight at most).
fn topic_label(topic: Option<Topic>) -> &'static str {
    match topic {
        Some(Topic::General) => "general",
        Some(Topic::Networking) => "networking",
        Some(Topic::Rules) => "rules",
        Some(Topic::Billing) => "billing",
        Some(Topic::Ssl) => "ssl",
        Some(Topic::Performance) => "performance",
        Some(Topic::Unknown(_)) => "unknown",
        None => "none",
    }
}

/// What `/metrics` reads from elsewhere at scrape time.
#[derive(Clone, Debug, Default)]
pub struct Scrape {
    pub outbox_depth: i64,
    pub inbox_backlog: i64,
    pub inbox_oldest_age_secs: f64,
    pub paused: bool,
    /// None when the bot runs without the gateway (the gauge then reads 0).
    pub gateway_connected: Option<bool>,
    /// Each role and whether this replica holds it.
    pub roles: Vec<(&'static str, bool)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrape() -> Scrape {
        Scrape {
            outbox_depth: 7,
            inbox_backlog: 3,
            inbox_oldest_age_secs: 1.5,
            paused: true,
            gateway_connected: Some(true),
            roles: vec![("pipeline", true), ("registration", false)],
        }
    }

    #[test]
    fn the_text_exposition_has_every_series_and_cumulative_histograms() {
        let m = Metrics::default();
        Metrics::inc(&m.events_webhook);
        Metrics::add(&m.sent_staff, 3);
        m.stage_restarted("poller");
        m.stage_restarted("poller");
        m.observe_latency(
            DeliveryTarget::Staff,
            Some(Topic::Billing),
            Duration::from_millis(80),
        );
        m.observe_latency(
            DeliveryTarget::Staff,
            Some(Topic::Billing),
            Duration::from_secs(2),
        );
        m.api.observe(
            "GET /v1/tickets/{id}",
            ApiOutcome::from_status(503),
            Duration::from_millis(30),
        );
        let text = m.render(&scrape(), Format::Text);
        for line in [
            "paradarum_inbox_backlog 3",
            "paradarum_inbox_oldest_age_seconds 1.5",
            "paradarum_notifications_paused 1",
            "paradarum_gateway_connected 1",
            "paradarum_role_held{role=\"pipeline\"} 1",
            "paradarum_role_held{role=\"registration\"} 0",
            "paradarum_gateway_identifies_total 0",
            "paradarum_stage_restarts_total{stage=\"poller\"} 2",
            "paradarum_events_received_total{source=\"webhook\"} 1",
            "paradarum_events_received_total{source=\"poll\"} 0",
            "paradarum_notifications_sent_total{kind=\"staff\"} 3",
            "paradarum_outbox_depth 7",
            "paradarum_probes_refused_total{endpoint=\"readyz\"} 0",
            "paradarum_dm_skipped_total 0",
            "paradarum_deliveries_total{target=\"staff\",outcome=\"parked\"} 0",
            "# TYPE paradarum_jobs_parked_total counter",
            "paradarum_delivery_latency_seconds_bucket{target=\"staff\",topic=\"billing\",le=\"0.1\"} 1",
            "paradarum_delivery_latency_seconds_bucket{target=\"staff\",topic=\"billing\",le=\"2.5\"} 2",
            "paradarum_delivery_latency_seconds_bucket{target=\"staff\",topic=\"billing\",le=\"+Inf\"} 2",
            "paradarum_delivery_latency_seconds_count{target=\"staff\",topic=\"billing\"} 2",
            "paradarum_ticket_api_requests_total{endpoint=\"GET /v1/tickets/{id}\",outcome=\"server_error\"} 1",
            "paradarum_ticket_api_request_duration_seconds_bucket{endpoint=\"GET /v1/tickets/{id}\",le=\"0.05\"} 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        // The 0.0.4 format has no OpenMetrics trailer, which its parsers would refuse.
        assert!(!text.contains("# EOF"), "{text}");
    }

    #[test]
    fn openmetrics_is_served_to_who_asks_for_it_and_ends_with_eof() {
        let prometheus = "application/openmetrics-text;version=1.0.0;q=0.5,\
                          text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
        assert_eq!(Format::from_accept(Some(prometheus)), Format::OpenMetrics);
        assert_eq!(Format::from_accept(Some("*/*")), Format::Text);
        assert_eq!(Format::from_accept(None), Format::Text);
        let m = Metrics::default();
        let om = m.render(&scrape(), Format::OpenMetrics);
        assert!(om.ends_with("# EOF\n"), "{om}");
        assert!(
            om.contains("# TYPE paradarum_jobs_parked counter\n"),
            "{om}"
        );
        assert!(om.contains("paradarum_jobs_parked_total 0\n"), "{om}");
    }

    #[test]
    fn an_interaction_ack_is_timed_from_the_snowflake() {
        let m = Metrics::default();
        let created = crate::store::now_millis() - 1200;
        let id = ((created - DISCORD_EPOCH_MS) as u64) << 22;
        m.interaction_acked(InteractionKind::Component, id);
        let text = m.render(&scrape(), Format::Text);
        let le = |b: &str| {
            format!("paradarum_interaction_ack_seconds_bucket{{kind=\"component\",le=\"{b}\"}}")
        };
        assert!(text.contains(&format!("{} 0", le("1"))), "{text}");
        assert!(text.contains(&format!("{} 1", le("1.5"))), "{text}");
    }

    #[test]
    fn every_topic_label_is_one_created_at_start() {
        let mut topics: Vec<Option<Topic>> = Topic::ALL.iter().copied().map(Some).collect();
        topics.extend([Some(Topic::Unknown(99)), None]);
        for t in topics {
            assert!(TOPIC_LABELS.contains(&topic_label(t)), "{t:?}");
        }
    }

    #[test]
    fn api_outcomes_follow_the_status_class() {
        assert_eq!(ApiOutcome::from_status(204), ApiOutcome::Ok);
        assert_eq!(ApiOutcome::from_status(404), ApiOutcome::Rejected);
        assert_eq!(ApiOutcome::from_status(429), ApiOutcome::RateLimited);
        assert_eq!(ApiOutcome::from_status(502), ApiOutcome::ServerError);
    }
}
