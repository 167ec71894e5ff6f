//! The operator's kit in `deploy/`: the Prometheus alerts and the Grafana dashboard name
//! only metrics the bot really exports, read from a scrape of the real binary (so a
//! renamed metric breaks this test, not an operator's pager).

use std::collections::BTreeSet;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use crate::cli::Logged;
use crate::helpers::free_port;

const ALERTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/prometheus/alerts.yml");
const DASHBOARD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/deploy/grafana/paradarum-bot.json"
);

/// The series names a real `/metrics` scrape offers, read once for the tests here: the
/// binary runs with its embedded sandbox, Discord a closed port, and metrics on a port
/// the OS picks (read back from the log).
fn exported() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| scrape_names(&scrape_real_bot()))
}

fn scrape_real_bot() -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut bot = Logged::spawn(
        crate::cli::bot(dir.path())
            .arg("run")
            .env("DISCORD_TOKEN", "test.token")
            .env(
                "DISCORD_PROXY_URL",
                format!("http://127.0.0.1:{}", free_port()),
            )
            // Port 0 for all three: the system picks free ports; the metrics one is read
            // back from the log.
            .env("HTTP_LISTEN", "127.0.0.1:0")
            .env("SANDBOX_LISTEN", "127.0.0.1:0")
            .env("METRICS_LISTEN", "127.0.0.1:0")
            .env("SANDBOX_ADMIN_TOKEN", "adm")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null()),
    );
    let url = format!("http://{}/metrics", bot.bound("metrics"));
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let resp = client.get(&url).send().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.text().unwrap()
}

/// Every series name a text exposition offers: its samples, and for each `# TYPE` the
/// names that type yields (a histogram with no observation yet still has its buckets).
fn scrape_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        if let Some(decl) = line.strip_prefix("# TYPE ") {
            let mut parts = decl.split_whitespace();
            let (Some(name), Some(kind)) = (parts.next(), parts.next()) else {
                continue;
            };
            if kind == "histogram" {
                for suffix in ["_bucket", "_sum", "_count"] {
                    names.insert(format!("{name}{suffix}"));
                }
            } else {
                names.insert(name.to_string());
            }
        } else if !line.starts_with('#') && !line.is_empty() {
            let end = line.find(['{', ' ']).unwrap_or(line.len());
            names.insert(line[..end].to_string());
        }
    }
    names
}

/// The metric names a PromQL expression selects: identifiers that are not functions,
/// keywords, label names, label values, durations or numbers.
fn metric_names(expr: &str) -> BTreeSet<String> {
    const KEYWORDS: [&str; 21] = [
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "inf",
        "nan",
        // Aggregations, which may be followed by `by (…)` before their parenthesis.
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
        "limitk",
        "limit_ratio",
    ];
    // Followed by a list of label names in parentheses, which must be skipped.
    const LABEL_LISTS: [&str; 6] = [
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
    ];
    let b = expr.as_bytes();
    let mut names = BTreeSet::new();
    let mut i = 0;
    // Skips a bracketed part from its opening byte, strings inside included.
    let skip_group = |mut i: usize, open: u8, close: u8| -> usize {
        let mut depth = 0;
        while i < b.len() {
            match b[i] {
                q @ (b'"' | b'\'' | b'`') => i = skip_string(b, i, q),
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        i
    };
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' || c == b'`' {
            i = skip_string(b, i, c) + 1;
        } else if c == b'{' {
            i = skip_group(i, b'{', b'}');
        } else if c == b'[' {
            i = skip_group(i, b'[', b']');
        } else if c == b'$' {
            // A dashboard variable such as `$__rate_interval`.
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
        } else if c.is_ascii_digit() || c == b'.' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b':') {
                i += 1;
            }
            let word = &expr[start..i];
            let mut next = i;
            while next < b.len() && b[next].is_ascii_whitespace() {
                next += 1;
            }
            let call = next < b.len() && b[next] == b'(';
            let lower = word.to_ascii_lowercase();
            if LABEL_LISTS.contains(&lower.as_str()) {
                if call {
                    i = skip_group(next, b'(', b')');
                }
            } else if !call && !KEYWORDS.contains(&lower.as_str()) {
                names.insert(word.to_string());
            }
        } else {
            i += 1;
        }
    }
    names
}

/// The index of the quote that closes the string opened at `start`.
fn skip_string(b: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() && b[i] != quote {
        if b[i] == b'\\' && quote != b'`' {
            i += 1;
        }
        i += 1;
    }
    i
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn promql_names_are_told_apart_from_functions_labels_and_numbers() {
    assert_eq!(metric_names("up == 0"), set(&["up"]));
    assert_eq!(
        metric_names(
            r#"histogram_quantile(0.95, sum by (le, endpoint) (rate(a_bucket{x="}[",y=~'b|c'}[$__rate_interval])))
               / on(job) group_left(instance) b offset 5m > bool 1e3 and c:rule unless absent(d)"#
        ),
        set(&["a_bucket", "b", "c:rule", "d"])
    );
    assert_eq!(
        metric_names("sum(rate(x_total[5m])) without (instance) > Inf"),
        set(&["x_total"])
    );
}

#[test]
fn the_scrape_offers_the_series_an_operator_needs() {
    let names = exported();
    for name in [
        "paradarum_gateway_connected",
        "paradarum_notifications_paused",
        "paradarum_inbox_oldest_age_seconds",
        "paradarum_jobs_parked_total",
        "paradarum_webhook_signature_failures_total",
        "paradarum_ticket_api_requests_total",
        "paradarum_ticket_api_request_duration_seconds_bucket",
        "paradarum_interaction_ack_seconds_bucket",
        "paradarum_delivery_latency_seconds_bucket",
        "paradarum_deliveries_total",
    ] {
        assert!(names.contains(name), "{name} not in {names:?}");
    }
}

#[test]
fn every_alert_uses_only_exported_metrics_and_says_what_to_do() {
    let text = std::fs::read_to_string(ALERTS).unwrap();
    let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    let rules: Vec<&Value> = doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["rules"].as_array().expect("rules").iter())
        .collect();
    let exported = exported();
    let mut alerts = BTreeSet::new();
    for rule in &rules {
        let name = rule["alert"].as_str().expect("every rule is an alert");
        assert!(alerts.insert(name), "{name} twice");
        let expr = rule["expr"].as_str().expect("expr");
        let used = metric_names(expr);
        assert!(!used.is_empty(), "{name} reads no metric: {expr}");
        for metric in &used {
            assert!(
                exported.contains(metric),
                "alert {name} uses {metric}, which the bot does not export"
            );
        }
        assert!(rule["labels"]["severity"].is_string(), "{name}: severity");
        assert!(
            rule["annotations"]["summary"].is_string(),
            "{name}: summary"
        );
        assert!(
            rule["annotations"]["description"].is_string(),
            "{name}: description"
        );
    }
    for needed in [
        "ParadarumGatewayDisconnected",
        "ParadarumNotificationsPaused",
        "ParadarumInboxBacklogOld",
        "ParadarumStaffChannelParked",
        "ParadarumWebhookSignatureFailures",
        "ParadarumTicketApiErrors",
    ] {
        assert!(alerts.contains(needed), "no {needed} in {alerts:?}");
    }
}

/// Every `expr` in a dashboard, wherever it sits.
fn exprs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("expr", Value::String(s)) => out.push(s),
                    _ => exprs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| exprs(v, out)),
        _ => {}
    }
}

#[test]
fn the_dashboard_parses_and_names_only_exported_metrics() {
    let text = std::fs::read_to_string(DASHBOARD).unwrap();
    let dash: Value = serde_json::from_str(&text).unwrap();
    assert!(dash["title"].is_string() && dash["panels"].is_array());
    let mut found = Vec::new();
    exprs(&dash, &mut found);
    assert!(found.len() >= 10, "only {} queries", found.len());
    let exported = exported();
    let mut used = BTreeSet::new();
    for expr in found {
        let names = metric_names(expr);
        assert!(!names.is_empty(), "a query reads no metric: {expr}");
        for metric in names {
            assert!(
                exported.contains(&metric),
                "the dashboard uses {metric}, which the bot does not export"
            );
            used.insert(metric);
        }
    }
    // What the dashboard is for: the front end, the API, the pipeline and Discord's 429s.
    for needed in [
        "paradarum_interaction_ack_seconds_count",
        "paradarum_interaction_ack_seconds_bucket",
        "paradarum_ticket_api_requests_total",
        "paradarum_inbox_backlog",
        "paradarum_outbox_depth",
        "paradarum_inbox_oldest_age_seconds",
        "paradarum_deliveries_total",
        "paradarum_discord_rate_limited_total",
    ] {
        assert!(used.contains(needed), "the dashboard shows no {needed}");
    }
}
