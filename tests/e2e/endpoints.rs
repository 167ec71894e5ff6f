//! The bot's own HTTP endpoints through the real binary: `/metrics` only on its own
//! listener, a taken metrics port failing start-up, and webhooks that keep working under a
//! flood of readiness probes and scrapes.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use paradarum_bot::signing::WebhookSecret;
use serde_json::json;

use crate::harness::{announced_ids, Bot};

const STAFF: u64 = 700_000_000_000_000_021;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BIN: &str = env!("CARGO_BIN_EXE_paradarum-bot");

async fn get(http: &reqwest::Client, url: &str) -> (u16, String) {
    let r = http.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// Waits until `/readyz` answers 200 (the gateway watchdog has seen the session).
async fn wait_ready(bot: &Bot) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while bot.readyz().await.0 != 200 {
        assert!(Instant::now() < deadline, "never ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn metrics_are_served_on_their_own_listener_and_not_on_the_public_one() {
    let bot = Bot::start().await;
    let public = format!("http://127.0.0.1:{}", bot.http_port);
    let private = format!("http://127.0.0.1:{}", bot.metrics_port);

    let (status, body) = get(&bot.api, &format!("{public}/metrics")).await;
    assert_eq!(status, 404, "the public listener shows no metrics: {body}");
    assert!(!body.contains("paradarum_"), "{body}");
    assert_eq!(get(&bot.api, &format!("{public}/healthz")).await.0, 200);
    wait_ready(&bot).await;

    let r = bot
        .api
        .get(format!("{private}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain"), "{ct}");
    let text = r.text().await.unwrap();
    assert!(
        text.contains("paradarum_events_received_total{source=\"webhook\"} 0")
            && text.contains("paradarum_outbox_depth 0"),
        "{text}"
    );
    // The metrics listener serves nothing else.
    for path in ["/healthz", "/readyz"] {
        assert_eq!(get(&bot.api, &format!("{private}{path}")).await.0, 404);
    }
    let hook = bot
        .api
        .post(format!("{private}/webhooks/paradarum"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status().as_u16(), 404);
    assert!(
        bot.log().contains(&format!(
            "metrics at http://127.0.0.1:{}/metrics",
            bot.metrics_port
        )),
        "{}",
        bot.log()
    );
}

#[test]
fn a_taken_metrics_port_or_one_shared_with_the_endpoints_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    // Both runs must stop by themselves, at once; one still running after 20 s is killed.
    let run = |metrics: &str, http: u16| {
        let mut child = std::process::Command::new(BIN)
            .arg("run")
            .env_clear()
            .current_dir(dir.path())
            .env("RUST_LOG", "warn")
            .env("DISCORD_TOKEN", "test.token")
            .env("DISCORD_PROXY_URL", format!("http://127.0.0.1:{}", free()))
            .env("HTTP_LISTEN", format!("127.0.0.1:{http}"))
            .env("SANDBOX_LISTEN", format!("127.0.0.1:{}", free()))
            .env("SANDBOX_ADMIN_TOKEN", "adm")
            .env("METRICS_LISTEN", metrics)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait_with_output().unwrap()
    };
    let text = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = run(&format!("127.0.0.1:{port}"), free());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("cannot listen on") && t.contains("METRICS_LISTEN"),
        "{t}"
    );

    let http = free();
    let out = run(&format!("127.0.0.1:{http}"), http);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("METRICS_LISTEN") && t.contains("HTTP_LISTEN"),
        "{t}"
    );
}

/// In flight at once during the flood.
const FLOOD: usize = 64;
/// Requests one flood worker sends at most (with the time bound, whichever comes first).
const PER_WORKER: u64 = 5_000;
const WEBHOOKS: usize = 24;

#[derive(Default)]
struct Tally {
    readyz_ok: AtomicU64,
    readyz_busy: AtomicU64,
    metrics_ok: AtomicU64,
    metrics_busy: AtomicU64,
    /// Any other status, or no answer.
    other: AtomicU64,
}

#[tokio::test]
async fn a_flood_of_readiness_probes_and_scrapes_makes_no_webhook_fail() {
    let bot = Bot::start_with(&[
        ("PARADARUM_WEBHOOK_SECRET", SECRET),
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
    ])
    .await;
    let secret = WebhookSecret::parse(SECRET).unwrap();
    let customer = bot.sandbox_customer("Flood").await;
    let mut ids = Vec::new();
    for i in 0..WEBHOOKS {
        ids.push(bot.sandbox_open(&customer, 0, &format!("flood {i}")).await);
    }
    wait_ready(&bot).await;

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let flood_http = reqwest::Client::builder()
        .pool_max_idle_per_host(FLOOD)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let flood_deadline = Instant::now() + Duration::from_secs(5);
    let mut workers = Vec::new();
    for w in 0..FLOOD {
        let (url, readyz) = if w % 2 == 0 {
            (format!("http://127.0.0.1:{}/readyz", bot.http_port), true)
        } else {
            (
                format!("http://127.0.0.1:{}/metrics", bot.metrics_port),
                false,
            )
        };
        let (http, stop, tally) = (flood_http.clone(), stop.clone(), tally.clone());
        workers.push(tokio::spawn(async move {
            for _ in 0..PER_WORKER {
                if stop.load(Ordering::Relaxed) || Instant::now() >= flood_deadline {
                    break;
                }
                let status = match http.get(&url).send().await {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s
                    }
                    Err(_) => 0,
                };
                let counter = match (readyz, status) {
                    (true, 200) => &tally.readyz_ok,
                    (true, 503) => &tally.readyz_busy,
                    (false, 200) => &tally.metrics_ok,
                    (false, 503) => &tally.metrics_busy,
                    _ => &tally.other,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    // The flood is under way before the first webhook.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before_hooks = tally.readyz_ok.load(Ordering::Relaxed)
        + tally.readyz_busy.load(Ordering::Relaxed)
        + tally.metrics_ok.load(Ordering::Relaxed)
        + tally.metrics_busy.load(Ordering::Relaxed);

    let hook_http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut latencies = Vec::new();
    let mut statuses = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let eid = format!("evt_{:012}", 900_100 + n);
        let event = json!({"id": eid, "type": "ticket.status_changed", "ticketId": id,
            "accountId": "acc", "occurredAt": "2026-11-26T12:00:00Z",
            "data": {"from": 0, "to": 2}});
        let body = serde_json::to_vec(&event).unwrap();
        let ts = chrono::Utc::now().timestamp();
        let t0 = Instant::now();
        let status = hook_http
            .post(format!(
                "http://127.0.0.1:{}/webhooks/paradarum",
                bot.http_port
            ))
            .header("content-type", "application/json")
            .header("webhook-id", &eid)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", secret.sign(&eid, ts, &body))
            .body(body)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        latencies.push(t0.elapsed());
        statuses.push(status);
    }
    let flood_still_running = Instant::now() < flood_deadline;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }

    let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let sent = n(&tally.readyz_ok)
        + n(&tally.readyz_busy)
        + n(&tally.metrics_ok)
        + n(&tally.metrics_busy)
        + n(&tally.other);
    latencies.sort();
    println!(
        "flood: {sent} requests ({} /readyz 200, {} /readyz 503, {} /metrics 200, {} /metrics \
         503, {} other); {WEBHOOKS} webhooks: median {:?}, max {:?}",
        n(&tally.readyz_ok),
        n(&tally.readyz_busy),
        n(&tally.metrics_ok),
        n(&tally.metrics_busy),
        n(&tally.other),
        latencies[latencies.len() / 2],
        latencies[latencies.len() - 1],
    );
    assert!(
        statuses.iter().all(|s| (200..300).contains(s)),
        "every webhook is accepted: {statuses:?}"
    );
    assert!(
        flood_still_running && before_hooks > 0,
        "the webhooks were sent during the flood"
    );
    assert_eq!(
        n(&tally.other),
        0,
        "every probe got 200 or an immediate 503"
    );
    assert!(n(&tally.readyz_ok) > 0 && n(&tally.metrics_ok) > 0);

    // The 503s were the bound at work, and the bot counted each.
    let m = bot.metrics().await;
    for (endpoint, busy) in [
        ("readyz", n(&tally.readyz_busy)),
        ("metrics", n(&tally.metrics_busy)),
    ] {
        let line = format!("paradarum_probes_refused_total{{endpoint=\"{endpoint}\"}} {busy}");
        assert!(m.contains(&line), "{line} in\n{m}");
    }

    // Every event went on to its staff announcement.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let announced: Vec<u64> = bot
            .channel_messages(STAFF)
            .iter()
            .flat_map(announced_ids)
            .collect();
        if ids.iter().all(|id| announced.contains(id)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not all announced: {announced:?} of {ids:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bot.assert_no_schema_errors();
}
