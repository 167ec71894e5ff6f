//! Prometheus metrics, by hand: a few counters and one histogram don't need a crate.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the delivery latency histogram.
const BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

#[derive(Debug, Default)]
pub struct Metrics {
    pub events_webhook: AtomicU64,
    pub events_poll: AtomicU64,
    pub signature_failures: AtomicU64,
    pub sent_staff: AtomicU64,
    pub sent_dm: AtomicU64,
    pub messages_sent: AtomicU64,
    pub dm_failures: AtomicU64,
    pub parked: AtomicU64,
    pub discord_429: AtomicU64,
    pub escalations: AtomicU64,
    /// Events announced from the event alone after their ticket could not be read.
    pub events_degraded: AtomicU64,
    /// DMs not sent: the user unlinked, their DMs are closed, or the backend changed.
    pub dm_skipped: AtomicU64,
    /// Rows deleted by retention.
    pub retention_deleted: AtomicU64,
    /// Invalid Discord answers (401/403/429) in the last 10 minutes (a gauge).
    pub discord_invalid_10m: AtomicU64,
    /// `/readyz` and `/metrics` answered 503 because all their slots were taken.
    pub readyz_refused: AtomicU64,
    pub scrapes_refused: AtomicU64,
    latency_buckets: [AtomicU64; 10],
    latency_count: AtomicU64,
    latency_sum_ms: AtomicU64,
}

fn add(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

impl Metrics {
    pub fn inc(c: &AtomicU64) {
        add(c, 1);
    }

    pub fn add(c: &AtomicU64, n: u64) {
        add(c, n);
    }

    /// Sets a gauge.
    pub fn set(c: &AtomicU64, n: u64) {
        c.store(n, Ordering::Relaxed);
    }

    /// Records how long a notification took from receipt of its event to its send.
    pub fn observe_latency(&self, d: Duration) {
        let secs = d.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                add(&self.latency_buckets[i], 1);
            }
        }
        add(&self.latency_count, 1);
        add(&self.latency_sum_ms, d.as_millis() as u64);
    }

    /// The text exposition format, with the values read at scrape time.
    pub fn render(&self, now: &Scrape) -> String {
        let outbox_depth = now.outbox_depth;
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, series: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (labels, v) in series {
                let _ = writeln!(out, "{name}{labels} {v}");
            }
        };
        counter(
            "paradarum_events_received_total",
            "Ticket events received, by source (new ones only).",
            &[
                ("{source=\"webhook\"}", g(&self.events_webhook)),
                ("{source=\"poll\"}", g(&self.events_poll)),
            ],
        );
        counter(
            "paradarum_webhook_signature_failures_total",
            "Webhooks refused for a bad or stale signature.",
            &[("", g(&self.signature_failures))],
        );
        counter(
            "paradarum_notifications_sent_total",
            "Notifications delivered, by kind (a coalesced message counts each ticket).",
            &[
                ("{kind=\"staff\"}", g(&self.sent_staff)),
                ("{kind=\"dm\"}", g(&self.sent_dm)),
            ],
        );
        counter(
            "paradarum_discord_messages_sent_total",
            "Discord messages posted by the notification pipeline.",
            &[("", g(&self.messages_sent))],
        );
        counter(
            "paradarum_dm_failures_total",
            "DMs Discord refused (closed DMs).",
            &[("", g(&self.dm_failures))],
        );
        counter(
            "paradarum_jobs_parked_total",
            "Notification jobs parked because Discord refused their channel (403/404).",
            &[("", g(&self.parked))],
        );
        counter(
            "paradarum_discord_rate_limited_total",
            "429 answers from Discord to the notification pipeline.",
            &[("", g(&self.discord_429))],
        );
        counter(
            "paradarum_escalations_total",
            "Tickets moved to Billing or SSL by moderators.",
            &[("", g(&self.escalations))],
        );
        counter(
            "paradarum_events_degraded_total",
            "Events announced from the event alone, their ticket unreadable after every try.",
            &[("", g(&self.events_degraded))],
        );
        counter(
            "paradarum_dm_skipped_total",
            "DMs not sent: the user unlinked, their DMs are closed, or the backend changed.",
            &[("", g(&self.dm_skipped))],
        );
        counter(
            "paradarum_retention_deleted_total",
            "Finished notification rows deleted by retention.",
            &[("", g(&self.retention_deleted))],
        );
        counter(
            "paradarum_probes_refused_total",
            "Readiness probes and metrics scrapes answered 503 because too many ran at once.",
            &[
                ("{endpoint=\"readyz\"}", g(&self.readyz_refused)),
                ("{endpoint=\"metrics\"}", g(&self.scrapes_refused)),
            ],
        );
        let restarts: Vec<(String, u64)> = now
            .stage_restarts
            .iter()
            .map(|(stage, n)| (format!("{{stage=\"{stage}\"}}"), *n))
            .collect();
        let restarts: Vec<(&str, u64)> = restarts.iter().map(|(l, n)| (l.as_str(), *n)).collect();
        counter(
            "paradarum_stage_restarts_total",
            "Notification stages restarted after ending unexpectedly.",
            &restarts,
        );
        let mut gauge = |name: &str, help: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        };
        gauge(
            "paradarum_outbox_depth",
            "Notification jobs not yet sent.",
            outbox_depth.to_string(),
        );
        gauge(
            "paradarum_inbox_backlog",
            "Ticket events received and not yet processed.",
            now.inbox_backlog.to_string(),
        );
        gauge(
            "paradarum_inbox_oldest_age_seconds",
            "Age of the oldest unprocessed ticket event (0 when none).",
            format!("{:.3}", now.inbox_oldest_age_secs),
        );
        gauge(
            "paradarum_notifications_paused",
            "1 while the ticket API refuses the integration token.",
            u8::from(now.paused).to_string(),
        );
        gauge(
            "paradarum_discord_invalid_requests_10m",
            "Invalid Discord answers (401/403/429) to notifications in the last 10 minutes \
             (Discord bans at 10,000).",
            g(&self.discord_invalid_10m).to_string(),
        );
        let _ = writeln!(
            out,
            "# HELP paradarum_delivery_latency_seconds From event receipt to Discord send.\n\
             # TYPE paradarum_delivery_latency_seconds histogram"
        );
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "paradarum_delivery_latency_seconds_bucket{{le=\"{b}\"}} {}",
                g(&self.latency_buckets[i])
            );
        }
        let count = g(&self.latency_count);
        let _ = writeln!(
            out,
            "paradarum_delivery_latency_seconds_bucket{{le=\"+Inf\"}} {count}\n\
             paradarum_delivery_latency_seconds_sum {}\n\
             paradarum_delivery_latency_seconds_count {count}",
            g(&self.latency_sum_ms) as f64 / 1000.0
        );
        out
    }
}

/// What `/metrics` reads from elsewhere at scrape time.
#[derive(Clone, Debug, Default)]
pub struct Scrape {
    pub outbox_depth: i64,
    pub inbox_backlog: i64,
    pub inbox_oldest_age_secs: f64,
    pub paused: bool,
    pub stage_restarts: Vec<(&'static str, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_every_series_and_a_cumulative_histogram() {
        let m = Metrics::default();
        Metrics::inc(&m.events_webhook);
        Metrics::add(&m.sent_staff, 3);
        m.observe_latency(Duration::from_millis(80));
        m.observe_latency(Duration::from_secs(2));
        let text = m.render(&Scrape {
            outbox_depth: 7,
            inbox_backlog: 3,
            inbox_oldest_age_secs: 1.5,
            paused: true,
            stage_restarts: vec![("poller", 2)],
        });
        assert!(text.contains("paradarum_inbox_backlog 3"), "{text}");
        assert!(text.contains("paradarum_inbox_oldest_age_seconds 1.500"));
        assert!(text.contains("paradarum_notifications_paused 1"));
        assert!(text.contains("paradarum_stage_restarts_total{stage=\"poller\"} 2"));
        assert!(text.contains("paradarum_events_received_total{source=\"webhook\"} 1"));
        assert!(text.contains("paradarum_notifications_sent_total{kind=\"staff\"} 3"));
        assert!(text.contains("paradarum_outbox_depth 7"));
        assert!(text.contains("paradarum_probes_refused_total{endpoint=\"readyz\"} 0"));
        assert!(text.contains("paradarum_delivery_latency_seconds_bucket{le=\"0.1\"} 1"));
        assert!(text.contains("paradarum_delivery_latency_seconds_bucket{le=\"2.5\"} 2"));
        assert!(text.contains("paradarum_delivery_latency_seconds_bucket{le=\"+Inf\"} 2"));
        assert!(text.contains("paradarum_delivery_latency_seconds_count 2"));
    }
}
