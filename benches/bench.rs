//! The whole benchmark: `cargo bench` (release build). The real bot binary against the
//! fake Discord (5 messages per 5 s per channel) and the sandbox on loopback. Writes
//! BENCHMARKS.md and two charts drawn by `plot`: benchmarks/latency.svg (latency against
//! rate) and benchmarks/backlog.svg (a backlog of announcements draining). Every loop is
//! bounded in count and time.
//!
//! `BENCH_SOAK_SECS` (default 600) sets the soak; `BENCH_QUICK=1` shortens the rates;
//! `BENCH_ONLY=interactions,idle_api,burst,latency,dm_users,attachments,pg_burst,
//! pg_interactions,failover` runs parts (only their rows of BENCHMARKS.md are replaced).
//! The `pg_*` parts and `failover` (three replicas, a sandbox process) each make their
//! own database on PostgreSQL at 127.0.0.1:5432 and drop it; without PostgreSQL they say
//! they are skipped and add no row;
//! `BENCH_DM_USERS` sets how many distinct users get DMs (default 100,000);
//! `BENCH_BOT_ENV="K=V,…"` adds settings to the interaction bot.

// The benchmark borrows the e2e harness and fake Discord whole and uses only part of them.
#![allow(dead_code)]

#[path = "../tests/e2e/fake_discord.rs"]
mod fake_discord;
#[path = "../tests/e2e/harness/mod.rs"]
mod harness;
// Under bench/ so that cargo does not take it for a benchmark of its own.
#[path = "bench/plot.rs"]
mod plot;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use harness::{Bot, Sent, User};
use paradarum_bot::signing::WebhookSecret;
use serde_json::{json, Value};

const STAFF: u64 = 700_000_000_000_000_001;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn user(i: u64) -> User {
    let name: &'static str = Box::leak(format!("user{i}").into_boxed_str());
    User {
        id: 500_000_000_000_000_000 + i,
        name,
        roles: vec![],
        admin: false,
    }
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_mb(pid: u32) -> f64 {
    proc_status_mb(pid, "VmRSS:")
}

/// The process's peak RSS so far (the kernel's high-water mark: no sample can miss it).
fn peak_rss_mb(pid: u32) -> f64 {
    proc_status_mb(pid, "VmHWM:")
}

fn proc_status_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn announced_ids(msg: &Value) -> Vec<u64> {
    harness::announced_ids(msg)
}

struct Report {
    lines: Vec<String>,
}

impl Report {
    fn row(&mut self, what: &str, value: String, target: &str) {
        println!("{what}: {value} (target {target})");
        self.lines.push(format!("| {what} | {value} | {target} |"));
    }
}

/// Resolves tickets as staff on the sandbox at `base`, one task per group, all at once.
async fn resolve_all(base: &str, groups: Vec<Vec<u64>>) {
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for group in groups {
        let (http, base) = (http.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            for id in group {
                let _ = http
                    .post(format!("{base}v1/tickets/{id}/status"))
                    .bearer_auth(harness::ADMIN)
                    .json(&json!({"status": 2}))
                    .send()
                    .await;
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// Issue 5: 1,000 tickets resolved at once. Returns how the announcements drained:
/// `(seconds since the resolves, tickets announced by then)`, one sample per change.
/// `database`: a PostgreSQL URL for the bot's store (its rows are then prefixed
/// "PostgreSQL: "), or None for the embedded SQLite default.
async fn burst(r: &mut Report, database: Option<&str>) -> Vec<(f64, usize)> {
    let staff = STAFF.to_string();
    let mut env = vec![
        ("STAFF_CHANNEL_ID", staff.as_str()),
        ("PARADARUM_WEBHOOK_SECRET", SECRET),
    ];
    env.extend(database.map(|url| ("DATABASE_URL", url)));
    // BENCH_BURST_LOG=<file> keeps the bot's log (e.g. with BENCH_BURST_RUST_LOG=
    // "info,sqlx::query=debug" to see every statement).
    let rust_log = std::env::var("BENCH_BURST_RUST_LOG").ok();
    env.extend(rust_log.as_deref().map(|v| ("RUST_LOG", v)));
    let on = if database.is_some() {
        "PostgreSQL: "
    } else {
        ""
    };
    let bot = Bot::start_with(&env).await;
    let token = bot.sandbox_customer("Bench").await;
    let mut ids = Vec::new();
    for i in 0..1000 {
        ids.push(
            bot.sandbox_open(&token, 0, &format!("bench ticket {i}"))
                .await,
        );
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let start = Instant::now();
    let chunks: Vec<Vec<u64>> = ids.chunks(125).map(|c| c.to_vec()).collect();
    resolve_all(&bot.sandbox_url(""), chunks).await;
    let resolved_in = start.elapsed();
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut drained = vec![(0.0, 0)];
    let (seen, dupes) = loop {
        let mut seen = HashSet::new();
        let mut dupes = 0;
        for m in bot.channel_messages(STAFF) {
            for id in announced_ids(&m) {
                if !seen.insert(id) {
                    dupes += 1;
                }
            }
        }
        if drained.last().is_some_and(|&(_, n)| n != seen.len()) {
            drained.push((start.elapsed().as_secs_f64(), seen.len()));
        }
        if seen.len() >= 1000 || Instant::now() > deadline {
            break (seen, dupes);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let all_in = start.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let messages = bot.channel_messages(STAFF).len();
    let r429 = bot
        .fake
        .recorded()
        .iter()
        .filter(|x| x.status == 429)
        .count();
    r.row(
        &format!("{on}1,000 resolves: seconds until all announced"),
        format!(
            "{:.1} s (resolving took {:.1} s)",
            all_in.as_secs_f64(),
            resolved_in.as_secs_f64()
        ),
        "≤ 10 s",
    );
    r.row(
        &format!("{on}1,000 resolves: Discord messages sent"),
        messages.to_string(),
        "(one per ticket would be 1,000 ≈ 1,000 s)",
    );
    r.row(
        &format!("{on}1,000 resolves: 429s received"),
        r429.to_string(),
        "0",
    );
    r.row(
        &format!("{on}1,000 resolves: duplicates"),
        dupes.to_string(),
        "0",
    );
    r.row(
        &format!("{on}1,000 resolves: lost"),
        (1000 - seen.len()).to_string(),
        "0",
    );
    if database.is_none() {
        print_batches(&bot, start).await;
    }
    if let Ok(path) = std::env::var("BENCH_BURST_LOG") {
        let _ = std::fs::write(path, bot.log());
    }
    drained
}

/// How the burst was cut into messages, from the bot's own records: per batch, its jobs,
/// when its first and last job were made and when it was sent (seconds from the start of
/// the resolves). Printed only, to see where the time goes.
async fn print_batches(bot: &Bot, start: Instant) {
    let db = format!(
        "sqlite://{}/data/paradarum-bot.db?mode=ro",
        bot.dir.path().display()
    );
    let Ok(pool) = sqlx::SqlitePool::connect(&db).await else {
        return;
    };
    let rows: Vec<(i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT batch_id, COUNT(*), MIN(created_at), MAX(created_at), MAX(sent_at) \
         FROM outbox_jobs WHERE kind = 'staff_resolved' GROUP BY batch_id ORDER BY batch_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap_or_default();
    let origin = paradarum_bot::store::now_millis() - start.elapsed().as_millis() as i64;
    let s = |t: i64| (t - origin) as f64 / 1000.0;
    for (batch, n, first, last, sent) in rows {
        println!(
            "burst batch {batch}: {n} jobs made {:.2}–{:.2} s, sent {}",
            s(first),
            s(last),
            sent.map_or("-".into(), |t| format!("{:.2} s", s(t)))
        );
    }
    let inbox: Vec<(String, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT source, COUNT(*), MIN(received_at), MAX(received_at), MAX(processed_at) \
         FROM inbox_events WHERE received_at >= $1 GROUP BY source",
    )
    .bind(origin)
    .fetch_all(&pool)
    .await
    .unwrap_or_default();
    for (source, n, first, last, done) in inbox {
        println!(
            "burst inbox ({source}): {n} events received {:.2}–{:.2} s, last processed {}",
            s(first),
            s(last),
            done.map_or("-".into(), |t| format!("{:.2} s", s(t)))
        );
    }
    pool.close().await;
}

/// Whether PostgreSQL answers at 127.0.0.1:5432 (the PostgreSQL parts need it).
fn postgres_here() -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], 5432)),
        Duration::from_secs(1),
    )
    .is_ok()
}

/// Median and worst of `runs` (in ms), as "median / worst".
fn median_worst(runs: &[f64]) -> String {
    let mut v = runs.to_vec();
    v.sort_by(f64::total_cmp);
    let median = if v.is_empty() {
        f64::NAN
    } else if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    };
    format!(
        "{median:.0} / {:.0} ms ({} runs: {})",
        v.last().copied().unwrap_or(f64::NAN),
        v.len(),
        runs.iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A fresh PostgreSQL database (dropped when the guard goes), or None without PostgreSQL.
fn pg_db() -> Option<harness::cluster::PgDb> {
    postgres_here().then(harness::cluster::PgDb::create)
}

/// Issue 12: acknowledgement and `/ticket status` latency with the bot's store on
/// PostgreSQL (one process; the embedded sandbox keeps its own SQLite file).
async fn pg_interactions(r: &mut Report, database: &str, quick: bool) {
    let bot = Bot::start_with(&[("DATABASE_URL", database)]).await;
    bot.fake
        .inner
        .validate
        .store(false, std::sync::atomic::Ordering::Relaxed);
    let mut users = Vec::new();
    for i in 0..100 {
        let u = user(i);
        let (id, _) = bot.open_via_discord(&u, (i % 6) as u8, "bench").await;
        users.push((u, id));
    }
    for (rate, secs) in [
        (50u32, if quick { 4 } else { 10 }),
        (500, if quick { 2 } else { 4 }),
    ] {
        let (ack, full) = interactions(&bot, &users, rate, secs).await;
        r.row(
            &format!(
                "PostgreSQL: Ack at {rate}/s ({} interactions): p50 / p99 / max",
                ack.len()
            ),
            format!(
                "{:.2} / {:.2} / {:.2} ms",
                pct(&ack, 0.5),
                pct(&ack, 0.99),
                pct(&ack, 1.0)
            ),
            "p99 ≤ 5 ms at 500/s",
        );
        r.row(
            &format!("PostgreSQL: /ticket status round trip at {rate}/s: p50 / p99"),
            format!(
                "{:.2} / {:.2} ms ({} answered)",
                pct(&full, 0.5),
                pct(&full, 0.99),
                full.len()
            ),
            "p99 ≤ 50 ms at 500/s",
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Issue 12: failover. Three replicas of the real binary on one PostgreSQL database, a
/// separate sandbox process, the fake Discord. The gateway holder is SIGKILLed (then
/// SIGTERMed) five times each; measured: from the signal to the next session's IDENTIFY.
/// The stopped replica is started again after each run, so there are always three.
async fn failover(r: &mut Report) {
    use harness::cluster::{Cluster, Storage};
    if !postgres_here() {
        println!("failover: SKIPPED, no PostgreSQL at 127.0.0.1:5432");
        return;
    }
    const RUNS: usize = 5;
    let mut c = Cluster::start(3, Storage::Postgres, &[]).await;
    let one_live = |c: &Cluster| c.fake.sessions().iter().filter(|s| s.is_live()).count() == 1;
    for (signal, label, target) in [
        (
            "KILL",
            "SIGKILL of the gateway holder → new session (IDENTIFY)",
            "≤ 5 s",
        ),
        (
            "TERM",
            "SIGTERM of the gateway holder → new session (IDENTIFY)",
            "≤ 1 s",
        ),
    ] {
        let mut took = Vec::new();
        let mut overlaps = Vec::new();
        for run in 0..RUNS {
            // Settled: one live session, one holder, every replica up a while.
            let steady = c
                .fake
                .wait_sessions(Duration::from_secs(30), |_| one_live(&c).then_some(()))
                .await;
            let holder = c.wait_holder("gateway", Duration::from_secs(10)).await;
            let (Some(()), Some(holder)) = (steady, holder) else {
                println!("failover: no steady gateway before {signal} run {run}; stopping");
                println!("{}", c.logs());
                break;
            };
            tokio::time::sleep(Duration::from_secs(2)).await;
            let before = c.fake.sessions().len();
            let old = c.fake.sessions().iter().rposition(|s| s.is_live());
            let at = Instant::now();
            if signal == "KILL" {
                c.kill(holder);
            } else {
                c.sigterm(holder);
            }
            let new = c
                .fake
                .wait_sessions(Duration::from_secs(20), |s| {
                    s.iter()
                        .skip(before)
                        .find(|s| s.is_live())
                        .map(|s| s.identified_at)
                })
                .await;
            match new {
                Some(t) => took.push(ms(t.saturating_duration_since(at))),
                None => println!("failover: {signal} run {run}: no new session within 20 s"),
            }
            if signal == "TERM" {
                c.wait_exit(holder, Duration::from_secs(20));
            }
            // How long the old session and the new one were both live.
            if let (Some(old), Some(t)) = (old, new) {
                if let Some(closed) = c.fake.sessions()[old].closed_at {
                    overlaps.push(ms(closed.saturating_duration_since(t)));
                }
            }
            c.start_replica(holder).await;
        }
        println!("failover {signal}: {took:?} ms");
        r.row(
            &format!("Failover, 3 replicas on PostgreSQL: {label}: median / worst"),
            median_worst(&took),
            target,
        );
        if signal == "TERM" {
            let worst = overlaps.iter().copied().fold(0.0, f64::max);
            r.row(
                "Failover, 3 replicas on PostgreSQL: SIGTERM handoff, old and new session both live: worst",
                format!("{worst:.0} ms ({} runs)", overlaps.len()),
                "≤ 2,000 ms",
            );
        }
    }
}

/// Issue 16: DMs to many distinct users (default 100,000; `BENCH_DM_USERS`). RSS must stay
/// within the idle figure + 10 MB, the pipeline's REST calls under Discord's ~50 per
/// second, and invalid answers (1 % of the users have closed DMs) far below 10,000 per
/// 10 minutes.
async fn dm_users(r: &mut Report) {
    let n: u64 = std::env::var("BENCH_DM_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    // The ticket API in another process's memory (this one), so the bot's RSS is the
    // bot's alone. DMs only: no staff channel, so every REST call counted is a DM's.
    let (port, _api_dir) = harness::external_sandbox().await;
    let api_url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let admin_post = |path: &str, body: Value| {
        let req = http
            .post(format!("{api_url}{path}"))
            .bearer_auth(harness::ADMIN)
            .json(&body);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let int = admin_post(
        "/v1/sandbox/tokens",
        json!({"scopes": ["events:read", "tickets:read"]}),
    )
    .await;
    let acc = admin_post("/v1/sandbox/accounts", json!({"name": "Many"})).await;
    let token = acc["token"].as_str().unwrap().to_string();
    let account = acc["account"]["id"].as_str().unwrap().to_string();
    let key = paradarum_bot::config::SecretKey::generate_text();
    let bot = Bot::start_with(&[
        ("PARADARUM_API_URL", &api_url),
        ("PARADARUM_API_TOKEN", int["token"].as_str().unwrap()),
        ("BOT_SECRET_KEY", &key),
    ])
    .await;
    let pid = bot.pid().unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle = rss_mb(pid);
    // n tickets, 8 at a time.
    let opened = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for w in 0..8u64 {
        let (url, token, opened, http) = (
            format!("{api_url}/v1/tickets"),
            token.clone(),
            opened.clone(),
            bot.api.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for i in (w..n).step_by(8) {
                let v: Value = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"topic": 0, "subject": format!("dm {i}"), "message": "m"}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                opened.lock().unwrap().push(v["id"].as_u64().unwrap());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut ids = opened.lock().unwrap().clone();
    ids.sort_unstable();
    // As if each ticket had been opened from Discord by its own linked user, whose DM
    // channel is known from an earlier DM — except 1 %, whose DMs are closed.
    let db = format!(
        "sqlite://{}/data/paradarum-bot.db",
        bot.dir.path().display()
    );
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let backend = paradarum_bot::app::backend_identity(&api_url.parse().unwrap());
    for chunk in ids.chunks(5_000) {
        let mut tx = pool.begin().await.unwrap();
        for id in chunk {
            let user = 600_000_000_000_000_000i64 + *id as i64;
            sqlx::query("INSERT INTO discord_links (user_id, account_id, account_name, sealed_token, created_at) VALUES ($1, $2, 'Many', x'00', 0)")
                .bind(user).bind(&account).execute(&mut *tx).await.unwrap();
            sqlx::query("INSERT INTO ticket_openers (backend, ticket_id, account_id, user_id, created_at) VALUES ($1, $2, $3, $4, 0)")
                .bind(&backend).bind(*id as i64).bind(&account).bind(user).execute(&mut *tx).await.unwrap();
            if id % 100 == 0 {
                bot.fake
                    .inner
                    .closed_dms
                    .lock()
                    .unwrap()
                    .insert(user as u64);
            } else {
                sqlx::query(
                    "INSERT INTO dm_channels (user_id, channel_id, used_at) VALUES ($1, $2, $3)",
                )
                .bind(user)
                .bind(user + 1)
                .bind(paradarum_bot::store::now_millis())
                .execute(&mut *tx)
                .await
                .unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
    pool.close().await;
    let requests_before = bot.fake.recorded().len();
    // Resolve them all, 8 at a time.
    let start = Instant::now();
    let groups: Vec<Vec<u64>> = (0..8)
        .map(|w| ids.iter().skip(w).step_by(8).copied().collect())
        .collect();
    resolve_all(&format!("{api_url}/"), groups).await;
    // Wait (bounded) until every DM was attempted: sent, or refused once.
    let closed = (n / 100) as usize;
    let deadline = Instant::now() + Duration::from_secs(n / 40 + 900);
    let mut peak = idle;
    let mut last_print = Instant::now();
    loop {
        let sent = bot.all_channel_messages().len();
        peak = peak.max(rss_mb(pid));
        if sent + closed >= n as usize || Instant::now() > deadline {
            break;
        }
        if last_print.elapsed() > Duration::from_secs(60) {
            println!(
                "dm_users: {sent} DMs sent after {:.0} s",
                start.elapsed().as_secs_f64()
            );
            last_print = Instant::now();
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let took = start.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let end = rss_mb(pid);
    let sent = bot.all_channel_messages().len();
    let recorded = bot.fake.recorded();
    let calls: Vec<&fake_discord::Recorded> = recorded[requests_before..]
        .iter()
        .filter(|x| !x.path.contains("/interactions/") && !x.path.contains("/webhooks/"))
        .collect();
    // Most calls in any one second (a sliding window), and invalid answers in any 10
    // minutes.
    let t0 = calls.first().map_or(Instant::now(), |c| c.at);
    let at: Vec<Duration> = calls.iter().map(|c| c.at.duration_since(t0)).collect();
    let mut max_per_sec = 0;
    let mut lo = 0;
    for hi in 0..at.len() {
        while at[hi] - at[lo] >= Duration::from_secs(1) {
            lo += 1;
        }
        max_per_sec = max_per_sec.max(hi - lo + 1);
    }
    let invalid_at: Vec<u64> = calls
        .iter()
        .filter(|c| matches!(c.status, 401 | 403 | 429))
        .map(|c| c.at.duration_since(t0).as_secs())
        .collect();
    let max_invalid_10m = invalid_at
        .iter()
        .map(|s| {
            invalid_at
                .iter()
                .filter(|t| **t >= *s && **t < s + 600)
                .count()
        })
        .max()
        .unwrap_or(0);
    r.row(
        &format!("DMs to {n} distinct users: sent / closed DMs / took"),
        format!("{sent} / {closed} / {:.0} s", took.as_secs_f64()),
        "every open DM sent once",
    );
    r.row(
        &format!("DMs to {n} distinct users: RSS idle → peak → end"),
        format!("{idle:.1} → {peak:.1} → {end:.1} MB"),
        "after: ≤ idle target + 10 MB (40 MB)",
    );
    r.row(
        &format!("DMs to {n} distinct users: REST calls in the busiest second (sliding)"),
        max_per_sec.to_string(),
        "≤ 50 (Discord's global limit)",
    );
    r.row(
        &format!(
            "DMs to {n} distinct users: invalid answers (401/403/429) in the worst 10 minutes"
        ),
        max_invalid_10m.to_string(),
        "far below 10,000",
    );
}

/// Issue 10: 50 replies with 10 MiB attachments submitted at once. Downloads are bounded
/// in number and in bytes held, so RSS must stay within the idle target (30 MB) + 64 MB.
async fn attachments(r: &mut Report) {
    const USERS: u64 = 50;
    const SIZE: usize = 10 * 1024 * 1024;
    // The ticket API in another process, so the bot's RSS is the bot's alone.
    let (port, _api_dir) = harness::external_sandbox().await;
    let api_url = format!("http://127.0.0.1:{port}");
    // Discord's CDN: one 10 MiB file, served from shared memory.
    let file = axum::body::Bytes::from(vec![0x5Au8; SIZE]);
    let app = axum::Router::new().route(
        "/attachments/1/2/{name}",
        axum::routing::get(move || {
            let b = file.clone();
            async move { ([("content-type", "application/octet-stream")], b) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cdn = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut bot = Bot::start_with(&[
        ("PARADARUM_API_URL", &api_url),
        ("BOT_SECRET_KEY", &key),
        ("ATTACHMENT_HOSTS", "127.0.0.1"),
    ])
    .await;
    // The harness's sandbox helpers talk to this external sandbox.
    bot.sandbox_port = port;
    let pid = bot.pid().unwrap();
    // Each user: a Paradarum account, linked through Discord, with one ticket.
    let mut tickets = Vec::new();
    for i in 0..USERS {
        let u = user(i);
        let token = bot.sandbox_customer(&format!("Files {i}")).await;
        let slash = bot.command(&u, "link", json!([]));
        let modal = bot.callback(&slash).await;
        let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
        let sub = bot.submit_modal(&u, &cid, &[("token", &token)]);
        bot.final_message(&sub, 30).await;
        tickets.push(bot.sandbox_open(&token, 5, &format!("logs {i}")).await);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle = rss_mb(pid);
    // Every form first, then all 50 submits at once.
    let mut forms = Vec::new();
    for (i, id) in tickets.iter().enumerate() {
        let u = user(i as u64);
        let url = format!("http://{cdn}/attachments/1/2/log{i}.bin");
        let opts = json!([
            {"type": 3, "name": "ticket", "value": id.to_string()},
            {"type": 11, "name": "attachment", "value": (1000 + i).to_string()}
        ]);
        let resolved = json!({"attachments": {(1000 + i).to_string(): {
            "id": (1000 + i).to_string(), "filename": format!("log{i}.bin"), "size": SIZE,
            "url": url, "proxy_url": url, "content_type": "application/octet-stream",
            "ephemeral": true
        }}});
        let slash = bot.command_with(&u, "reply", opts, Some(resolved));
        let modal = bot.callback(&slash).await;
        forms.push((u, modal["data"]["custom_id"].as_str().unwrap().to_string()));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let start = Instant::now();
    let submits: Vec<Sent> = forms
        .iter()
        .map(|(u, cid)| bot.submit_modal(u, cid, &[("body", "the logs")]))
        .collect();
    let mut peak = idle;
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut answered = 0;
    for s in &submits {
        loop {
            peak = peak.max(rss_mb(pid));
            let done =
                tokio::time::timeout(Duration::from_millis(50), bot.final_message(s, 1)).await;
            if let Ok(m) = done {
                if harness::text_of(&m).contains("reply was added") {
                    answered += 1;
                }
                break;
            }
            if Instant::now() > deadline {
                break;
            }
        }
    }
    let took = start.elapsed();
    // The high-water mark catches a peak between samples.
    peak = peak.max(peak_rss_mb(pid));
    let mut landed = 0;
    for id in &tickets {
        let msgs: Value = bot
            .api
            .get(format!("{api_url}/v1/tickets/{id}/messages"))
            .bearer_auth(harness::ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ok = msgs["items"].as_array().is_some_and(|items| {
            items.iter().any(|m| {
                m["attachments"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|f| f["size"].as_u64() == Some(SIZE as u64)))
            })
        });
        landed += usize::from(ok);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let end = rss_mb(pid);
    r.row(
        "50 replies with 10 MiB attachments at once: RSS idle → peak → end",
        format!(
            "{idle:.1} → {peak:.1} → {end:.1} MB (peak − idle {:.1} MB)",
            peak - idle
        ),
        "peak ≤ idle target + 64 MB (94 MB)",
    );
    r.row(
        "50 replies with 10 MiB attachments at once: answered / landed / took",
        format!("{answered} / {landed} / {:.1} s", took.as_secs_f64()),
        "50 / 50",
    );
}

/// Issue 5: idle latency from webhook receipt to the Discord POST, 200 single events.
async fn idle_latency(r: &mut Report) {
    let channels: Vec<u64> = (0..6).map(|i| STAFF + 10 + i).collect();
    let names = [
        "GENERAL",
        "NETWORKING",
        "RULES",
        "BILLING",
        "SSL",
        "PERFORMANCE",
    ];
    let env: Vec<(String, String)> = names
        .iter()
        .zip(&channels)
        .map(|(n, c)| {
            (
                format!("PARADARUM_BOT__NOTIFICATIONS__CHANNEL_{n}"),
                c.to_string(),
            )
        })
        .chain([("PARADARUM_WEBHOOK_SECRET".to_string(), SECRET.to_string())])
        .collect();
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let bot = Bot::start_with(&pairs).await;
    let token = bot.sandbox_customer("Latency").await;
    let mut tickets = Vec::new();
    for i in 0..200 {
        let topic = (i % 6) as u8;
        tickets.push((
            bot.sandbox_open(&token, topic, &format!("lat {i}")).await,
            topic,
        ));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let secret = WebhookSecret::parse(SECRET).unwrap();
    let http = reqwest::Client::new();
    let mut lat = Vec::new();
    for (n, (id, topic)) in tickets.iter().enumerate() {
        let channel = channels[*topic as usize];
        let before = bot.channel_messages(channel).len();
        let event = json!({"id": format!("evt_{:012}", 800_000 + n), "type": "ticket.status_changed",
            "ticketId": id, "accountId": "acc", "occurredAt": "2026-11-26T12:00:00Z",
            "data": {"from": 0, "to": 2}});
        let body = serde_json::to_vec(&event).unwrap();
        let ts = chrono::Utc::now().timestamp();
        let eid = event["id"].as_str().unwrap().to_string();
        let t0 = Instant::now();
        let status = http
            .post(format!(
                "http://127.0.0.1:{}/webhooks/paradarum",
                bot.http_port
            ))
            .header("webhook-id", &eid)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", secret.sign(&eid, ts, &body))
            .body(body)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        assert_eq!(status, 204);
        let deadline = Instant::now() + Duration::from_secs(10);
        let arrived = loop {
            let msgs = bot.channel_messages(channel);
            if msgs.len() > before {
                // The fake records each POST with its arrival time.
                let rec =
                    bot.fake.recorded().into_iter().rev().find(|x| {
                        x.path == format!("/channels/{channel}/messages") && x.status == 200
                    });
                break rec.map(|x| x.at);
            }
            if Instant::now() > deadline {
                break None;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        if let Some(at) = arrived {
            lat.push(ms(at.saturating_duration_since(t0)));
        }
        // Six channels in turn: each gets one message a second, inside its limit.
        tokio::time::sleep(Duration::from_millis(180)).await;
    }
    lat.sort_by(f64::total_cmp);
    r.row(
        "Idle webhook → Discord POST (200 events): p50 / p99",
        format!(
            "{:.1} ms / {:.1} ms ({} measured)",
            pct(&lat, 0.5),
            pct(&lat, 0.99),
            lat.len()
        ),
        "p99 ≤ 1,000 ms",
    );
}

/// Issue 7: interaction acknowledgement and `/ticket status` round trips at a rate.
async fn interactions(
    bot: &Bot,
    users: &[(User, u64)],
    rate: u32,
    secs: u32,
) -> (Vec<f64>, Vec<f64>) {
    let n = (rate * secs) as usize;
    let every = Duration::from_secs_f64(1.0 / f64::from(rate));
    let mut sent: Vec<Sent> = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let due = start + every * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        let (u, ticket) = &users[i % users.len()];
        sent.push(bot.command(
            u,
            "status",
            json!([{"type": 3, "name": "ticket", "value": ticket.to_string()}]),
        ));
    }
    // Collect (bounded).
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut ack = Vec::new();
    let mut full = Vec::new();
    let tokens: std::collections::HashMap<String, Instant> =
        sent.iter().map(|s| (s.token.clone(), s.at)).collect();
    loop {
        let rec = bot.fake.recorded();
        ack.clear();
        full.clear();
        for x in &rec {
            let Some(token) = x.path.split('/').find(|p| tokens.contains_key(*p)) else {
                continue;
            };
            let at = tokens[token];
            if x.path.ends_with("/callback") {
                ack.push(ms(x.at.saturating_duration_since(at)));
            } else if x.path.starts_with("/webhooks/") && x.status == 200 {
                full.push(ms(x.at.saturating_duration_since(at)));
            }
        }
        if (ack.len() >= n && full.len() >= n) || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ack.sort_by(f64::total_cmp);
    full.sort_by(f64::total_cmp);
    (ack, full)
}

/// Issue 7: latency at 1, 50 and 500 interactions per second; memory; idle API traffic;
/// start-up.
async fn interaction_path(
    r: &mut Report,
    quick: bool,
    soak_secs: u64,
) -> Vec<(u32, f64, f64, f64)> {
    let spawned = Instant::now();
    // BENCH_BOT_ENV="K=V,K=V" adds settings to this bot, for experiments.
    let extra: Vec<(String, String)> = std::env::var("BENCH_BOT_ENV")
        .unwrap_or_default()
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let pairs: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let bot = Bot::start_with(&pairs).await;
    let registered = spawned.elapsed();
    // Measure the bot, not the fake: its schema checks run in this process.
    bot.fake
        .inner
        .validate
        .store(false, std::sync::atomic::Ordering::Relaxed);
    let identified = bot
        .fake
        .inner
        .identified_at
        .lock()
        .unwrap()
        .map(|t| t.saturating_duration_since(spawned));
    r.row(
        "Start-up: process start → IDENTIFY / → commands registered",
        format!(
            "{:.0} ms / {:.0} ms",
            identified.map_or(f64::NAN, ms),
            ms(registered)
        ),
        "READY ≤ 1,000 ms",
    );
    let pid = bot.pid().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss = rss_mb(pid);
    r.row(
        "RSS after READY, idle",
        format!("{idle_rss:.1} MB"),
        "≤ 30 MB",
    );

    // 100 users, each with a ticket opened through Discord.
    let mut users = Vec::new();
    for i in 0..100 {
        let u = user(i);
        let (id, _) = bot.open_via_discord(&u, (i % 6) as u8, "bench").await;
        users.push((u, id));
    }
    let mut points = Vec::new();
    let mut total = 0u32;
    for (rate, secs) in [
        (1u32, if quick { 5 } else { 20 }),
        (50, if quick { 4 } else { 10 }),
        (500, if quick { 2 } else { 4 }),
    ] {
        let (ack, full) = interactions(&bot, &users, rate, secs).await;
        total += rate * secs;
        r.row(
            &format!(
                "Ack at {rate}/s ({} interactions): p50 / p99 / max",
                ack.len()
            ),
            format!(
                "{:.2} / {:.2} / {:.2} ms",
                pct(&ack, 0.5),
                pct(&ack, 0.99),
                pct(&ack, 1.0)
            ),
            "p99 ≤ 5 ms at 500/s",
        );
        r.row(
            &format!("/ticket status round trip at {rate}/s: p50 / p99"),
            format!(
                "{:.2} / {:.2} ms ({} answered)",
                pct(&full, 0.5),
                pct(&full, 0.99),
                full.len()
            ),
            "p99 ≤ 50 ms at 500/s",
        );
        points.push((rate, pct(&ack, 0.5), pct(&ack, 0.99), pct(&full, 0.99)));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    // Up to 10,000 interactions in all, at 200/s.
    let rest = 10_000u32.saturating_sub(total + 100);
    if rest > 0 && !quick {
        interactions(&bot, &users, 200, rest / 200).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    r.row(
        "RSS after 10,000 interactions",
        format!("{:.1} MB", rss_mb(pid)),
        "≤ 60 MB",
    );

    // Soak at 50/s, RSS sampled every 10 s.
    let mut samples = Vec::new();
    let soak_start = Instant::now();
    while soak_start.elapsed() < Duration::from_secs(soak_secs) {
        interactions(&bot, &users, 50, 10).await;
        samples.push((soak_start.elapsed().as_secs_f64(), rss_mb(pid)));
    }
    if samples.len() >= 2 {
        let n = samples.len() as f64;
        let mx = samples.iter().map(|s| s.0).sum::<f64>() / n;
        let my = samples.iter().map(|s| s.1).sum::<f64>() / n;
        let slope = samples.iter().map(|s| (s.0 - mx) * (s.1 - my)).sum::<f64>()
            / samples
                .iter()
                .map(|s| (s.0 - mx).powi(2))
                .sum::<f64>()
                .max(1e-9);
        r.row(
            &format!("Soak at 50/s for {soak_secs} s: RSS first → last, slope"),
            format!(
                "{:.1} → {:.1} MB, {:+.3} MB/min",
                samples[0].1,
                samples[samples.len() - 1].1,
                slope * 60.0
            ),
            "no upward slope beyond noise",
        );
    }
    points
}

/// Issue 7: ticket API requests per minute while idle, with 10 and 10,000 tickets known.
async fn idle_api(r: &mut Report) {
    for known in [10u64, 10_000] {
        let (port, _dir) = harness::external_sandbox().await;
        let proxy = harness::ApiProxy::start(format!("http://127.0.0.1:{port}")).await;
        let http = reqwest::Client::new();
        let tok: Value = http
            .post(format!("http://127.0.0.1:{port}/v1/sandbox/tokens"))
            .bearer_auth(harness::ADMIN)
            .json(&json!({"scopes": ["events:read", "tickets:read", "tickets:topic"]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let acc: Value = http
            .post(format!("http://127.0.0.1:{port}/v1/sandbox/accounts"))
            .bearer_auth(harness::ADMIN)
            .json(&json!({"name": "Idle"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ctoken = acc["token"].as_str().unwrap().to_string();
        for i in 0..known {
            let _ = http
                .post(format!("http://127.0.0.1:{port}/v1/tickets"))
                .bearer_auth(&ctoken)
                .json(&json!({"topic": 0, "subject": format!("t{i}"), "message": "m"}))
                .send()
                .await;
        }
        let key = paradarum_bot::config::SecretKey::generate_text();
        let mut bot = Bot::start_with(&[
            ("PARADARUM_API_URL", &proxy.url),
            ("PARADARUM_API_TOKEN", tok["token"].as_str().unwrap()),
            ("BOT_SECRET_KEY", &key),
            ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ])
        .await;
        // Make every ticket known to the bot's store (as if opened from Discord).
        let db = format!(
            "sqlite://{}/data/paradarum-bot.db",
            bot.dir.path().display()
        );
        let store = paradarum_bot::store::Store::open(&db).await.unwrap();
        for id in 1..=known {
            store
                .notify()
                .remember_opener(
                    &paradarum_bot::app::backend_identity(&proxy.url.parse().unwrap()),
                    id,
                    "acc_bench",
                    500_000_000_000_000_000 + id,
                )
                .await
                .unwrap();
        }
        store.close().await;
        // Let the backlog of feed events settle, then count.
        tokio::time::sleep(Duration::from_secs(if known > 100 { 20 } else { 5 })).await;
        let before = proxy.requests.load(std::sync::atomic::Ordering::Relaxed);
        tokio::time::sleep(Duration::from_secs(30)).await;
        let after = proxy.requests.load(std::sync::atomic::Ordering::Relaxed);
        let pid = bot.pid().unwrap();
        r.row(
            &format!("Idle ticket API requests per minute, {known} tickets known"),
            format!("{} /min (RSS {:.1} MB)", (after - before) * 2, rss_mb(pid)),
            "independent of the number of tickets",
        );
        bot.stop();
    }
}

/// Replaces the rows `r` measured in BENCHMARKS.md (matched by their first cell), adds
/// the rows it lacks, and notes which parts were re-measured at which commit.
fn update_rows(r: &Report, parts: &str, commit: &str) {
    let path = format!("{}/BENCHMARKS.md", env!("CARGO_MANIFEST_DIR"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let key = |line: &str| line.split('|').nth(1).map(|c| c.trim().to_string());
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for row in &r.lines {
        match lines.iter().position(|l| key(l) == key(row)) {
            Some(i) => lines[i] = row.clone(),
            None => {
                let last = lines.iter().rposition(|l| l.starts_with('|')).unwrap_or(0);
                lines.insert(last + 1, row.clone());
            }
        }
    }
    let last = lines.iter().rposition(|l| l.starts_with('|')).unwrap_or(0);
    let note = format!(
        "\nRe-measured with `BENCH_ONLY={parts}` at commit `{commit}`, {} UTC: the rows of those parts.",
        chrono::Utc::now().format("%Y-%m-%d %H:%M")
    );
    lines.insert(last + 1, note);
    let _ = std::fs::write(&path, lines.join("\n") + "\n");
    println!("updated the {parts} rows of BENCHMARKS.md");
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let soak_secs: u64 = std::env::var("BENCH_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let mut r = Report { lines: Vec::new() };
    // BENCH_ONLY=interactions (or idle_api, burst, latency; comma-separated) runs a part.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let want = |part: &str| only.is_empty() || only.split(',').any(|p| p.trim() == part);
    let (points, drained) = rt.block_on(async {
        let mut points = Vec::new();
        let mut drained = Vec::new();
        if want("interactions") {
            points = interaction_path(&mut r, quick, soak_secs).await;
        }
        if want("idle_api") {
            idle_api(&mut r).await;
        }
        if want("burst") {
            drained = burst(&mut r, None).await;
        }
        if want("pg_burst") {
            match pg_db() {
                Some(db) => {
                    burst(&mut r, Some(&db.url)).await;
                }
                None => println!("pg_burst: SKIPPED, no PostgreSQL at 127.0.0.1:5432"),
            }
        }
        if want("pg_interactions") {
            match pg_db() {
                Some(db) => pg_interactions(&mut r, &db.url, quick).await,
                None => println!("pg_interactions: SKIPPED, no PostgreSQL at 127.0.0.1:5432"),
            }
        }
        if want("latency") {
            idle_latency(&mut r).await;
        }
        if want("dm_users") {
            dm_users(&mut r).await;
        }
        if want("attachments") {
            attachments(&mut r).await;
        }
        if want("failover") {
            failover(&mut r).await;
        }
        (points, drained)
    });
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if !only.is_empty() {
        // A partial run replaces its own rows in BENCHMARKS.md (adding new ones) and says
        // so under the table; the other rows keep the run they came from. It redraws the
        // charts whose part ran.
        update_rows(&r, &only, &commit);
        draw_charts(&points, &drained);
        return;
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut md =
        format!(
        "# Benchmarks\n\nRun with `cargo bench` (release build; the real bot binary against the \
         fake Discord with its 5-messages-per-5-s channel limit, and the sandbox, all on \
         loopback). Commit `{commit}`, {cores} cores, {} UTC. Soak: {soak_secs} s{}.\n\n\
         | what | measured | target |\n|---|---|---|\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        if quick { ", quick rates (BENCH_QUICK=1)" } else { "" }
    );
    for l in &r.lines {
        md.push_str(l);
        md.push('\n');
    }
    md.push_str("\n![latency against rate](benchmarks/latency.svg)\n");
    md.push_str("\n![announcing a backlog](benchmarks/backlog.svg)\n");
    draw_charts(&points, &drained);
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(format!("{root}/BENCHMARKS.md"), md).unwrap();
    println!("wrote BENCHMARKS.md");
    let _ = Arc::new(());
}

/// benchmarks/latency.svg from the interaction part's points and benchmarks/backlog.svg
/// from the burst's drain, each only when its part ran.
fn draw_charts(points: &[(u32, f64, f64, f64)], drained: &[(f64, usize)]) {
    let root = env!("CARGO_MANIFEST_DIR");
    let _ = std::fs::create_dir_all(format!("{root}/benchmarks"));
    if !points.is_empty() {
        let latency = plot::latency_chart(points).unwrap();
        std::fs::write(format!("{root}/benchmarks/latency.svg"), latency).unwrap();
        println!("wrote benchmarks/latency.svg");
    }
    if !drained.is_empty() {
        let backlog = plot::backlog_chart(drained, 1000).unwrap();
        std::fs::write(format!("{root}/benchmarks/backlog.svg"), backlog).unwrap();
        println!("wrote benchmarks/backlog.svg");
    }
}
