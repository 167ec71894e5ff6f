//! Notifications through an operator's ordinary year: switching the ticket API, a
//! poisoned ticket, a rotated token, a first start on a busy feed, a stage that dies, a
//! database reset, retention, extreme webhook timestamps, closed DMs. Each runs the real
//! binary against the fake Discord; where the point is about the ticket API, that API is
//! a separate sandbox (its own database, served from the test process) behind a proxy
//! that can fail on demand.

use std::time::{Duration, Instant};

use paradarum_bot::signing::WebhookSecret;
use serde_json::{json, Value};

use crate::harness::{alice, external_sandbox, text_of, ApiProxy, Bot, ADMIN};

const STAFF: u64 = 700_000_000_000_000_011;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn wait_until(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Ticket ids announced in the staff channel, in order (a ticket once per message).
fn announced(bot: &Bot) -> Vec<u64> {
    bot.channel_messages(STAFF)
        .iter()
        .flat_map(crate::harness::announced_ids)
        .collect()
}

/// Every message that is not in the staff channel: DMs.
fn dms(bot: &Bot) -> Vec<Value> {
    bot.all_channel_messages()
        .into_iter()
        .filter(|(c, _)| *c != STAFF)
        .map(|(_, m)| m)
        .collect()
}

/// A ticket API the bot reaches over HTTP: a sandbox with its own database.
struct Api {
    url: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Api {
    async fn start() -> Api {
        let (port, dir) = external_sandbox().await;
        Api {
            url: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
            _dir: dir,
        }
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn integration_token(&self) -> String {
        let v = self
            .post(
                ADMIN,
                "/v1/sandbox/tokens",
                json!({"scopes": ["events:read", "tickets:read", "tickets:topic"]}),
            )
            .await;
        v["token"].as_str().unwrap().to_string()
    }

    async fn customer(&self, name: &str) -> String {
        let v = self
            .post(ADMIN, "/v1/sandbox/accounts", json!({"name": name}))
            .await;
        v["token"].as_str().unwrap().to_string()
    }

    async fn open(&self, customer: &str, subject: &str) -> u64 {
        let v = self
            .post(
                customer,
                "/v1/tickets",
                json!({"topic": 0, "subject": subject, "message": "m"}),
            )
            .await;
        v["id"].as_u64().unwrap()
    }

    async fn resolve(&self, id: u64) {
        self.post(
            ADMIN,
            &format!("/v1/tickets/{id}/status"),
            json!({"status": 2}),
        )
        .await;
    }
}

/// The env that points the bot at `url` with its own integration token.
fn remote_env(url: &str, token: &str, key: &str) -> Vec<(String, String)> {
    vec![
        ("STAFF_CHANNEL_ID".into(), STAFF.to_string()),
        ("PARADARUM_API_URL".into(), url.to_string()),
        ("PARADARUM_API_TOKEN".into(), token.to_string()),
        ("BOT_SECRET_KEY".into(), key.to_string()),
    ]
}

/// Waits until `/readyz` answers 200 (the gateway watchdog has seen the session).
async fn wait_ready(bot: &Bot) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while bot.readyz().await.0 != 200 {
        assert!(Instant::now() < deadline, "never ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn start_remote(env: &[(String, String)]) -> Bot {
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Bot::start_with(&pairs).await
}

#[tokio::test]
async fn switching_the_ticket_api_never_tells_a_customer_about_another_accounts_ticket() {
    // Alice opens ticket #1 on the embedded sandbox.
    let mut bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let a = alice();
    let (first, _) = bot.open_via_discord(&a, 0, "Alice's own ticket").await;
    assert_eq!(first, 1);
    bot.stop();

    // The operator switches to "the real API" (a separate sandbox), keeping data/.
    let api = Api::start().await;
    let token = api.integration_token().await;
    let key = std::fs::read_to_string(bot.dir.path().join("data/secret.key")).unwrap();
    for (k, v) in remote_env(&api.url, &token, key.trim()) {
        bot.set_env(&k, &v);
    }
    bot.spawn().await;
    // Another account's ticket #1 there becomes Resolved.
    let eve = api.customer("Eve").await;
    let theirs = api.open(&eve, "Eve's private subject").await;
    assert_eq!(theirs, 1, "the same id on the other API");
    api.resolve(theirs).await;

    // Announced (the new API's early events are not hidden by the old ones)...
    wait_until("the new API's ticket announced", 15, || {
        announced(&bot) == [1]
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let notice = text_of(&bot.channel_messages(STAFF)[0]);
    // ...without naming Alice, and Alice hears nothing of it.
    assert!(!notice.contains(&a.id.to_string()), "{notice}");
    assert!(dms(&bot).is_empty(), "DMs: {:?}", dms(&bot));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn after_unlink_a_customer_is_no_longer_dmed_or_named() {
    let bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let a = alice();
    let (id, _) = bot.open_via_discord(&a, 0, "Then I unlink").await;
    let sent = bot.command(&a, "unlink", json!([]));
    bot.callback(&sent).await;
    let answer = text_of(&bot.final_message(&sent, 10).await);
    assert!(answer.to_lowercase().contains("unlink"), "{answer}");
    bot.sandbox_set_status(id, 2).await;

    wait_until("the announcement", 15, || announced(&bot) == [id]).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let notice = text_of(&bot.channel_messages(STAFF)[0]);
    assert!(!notice.contains(&a.id.to_string()), "{notice}");
    assert!(dms(&bot).is_empty(), "no DM after unlink: {:?}", dms(&bot));
}

#[tokio::test]
async fn a_poisoned_ticket_waits_alone_and_is_finally_announced_from_its_event() {
    let api = Api::start().await;
    let proxy = ApiProxy::start(api.url.clone()).await;
    let token = api.integration_token().await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut env = remote_env(&proxy.url, &token, &key);
    env.push((
        "PARADARUM_BOT__NOTIFICATIONS__MAX_EVENT_ATTEMPTS".into(),
        "3".into(),
    ));
    let bot = start_remote(&env).await;
    let cust = api.customer("Poison").await;
    let poisoned = api.open(&cust, "Cannot be read").await;
    let healthy = api.open(&cust, "Reads fine").await;
    // The API fails this one ticket's reads with a 500, every time.
    proxy.fail(&format!("/v1/tickets/{poisoned}"), 500);
    api.resolve(poisoned).await;
    api.resolve(healthy).await;

    // The healthy ticket is not held back by the poisoned one before it.
    wait_until("the healthy ticket announced", 10, || {
        announced(&bot).contains(&healthy)
    })
    .await;
    assert!(!announced(&bot).contains(&poisoned));
    // After its tries (1 s, 2 s apart) the poisoned one is announced from its event.
    wait_until("the poisoned ticket announced", 20, || {
        announced(&bot).contains(&poisoned)
    })
    .await;
    let msgs = bot.channel_messages(STAFF);
    let degraded = msgs
        .iter()
        .map(text_of)
        .find(|t| t.contains(&format!("Ticket #{poisoned} ")))
        .unwrap();
    assert!(
        degraded.contains(&format!("Ticket #{poisoned} is now Resolved")),
        "{degraded}"
    );
    assert!(!degraded.contains("Cannot be read"), "{degraded}");
    let m = bot.metrics().await;
    assert!(m.contains("paradarum_events_degraded_total 1"), "{m}");
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_refused_integration_token_pauses_notifications_visibly_and_they_resume_by_themselves() {
    let api = Api::start().await;
    let proxy = ApiProxy::start(api.url.clone()).await;
    let token = api.integration_token().await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let bot = start_remote(&remote_env(&proxy.url, &token, &key)).await;
    let cust = api.customer("Rotated").await;
    let id = api.open(&cust, "During the outage").await;
    wait_ready(&bot).await;

    // The token is refused everywhere (rotated at Paradarum, say).
    proxy.fail("*", 401);
    let deadline = Instant::now() + Duration::from_secs(15);
    let body = loop {
        let (status, body) = bot.readyz().await;
        assert_eq!(status, 200, "webhooks can still be taken: {body}");
        if body["notifications"] == "paused: integration token refused" {
            break body;
        }
        assert!(Instant::now() < deadline, "never paused: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(body["status"], "ready");
    assert!(bot
        .metrics()
        .await
        .contains("paradarum_notifications_paused 1"));

    // Meanwhile the ticket is resolved; once the API accepts the token again, it is
    // announced, and the pause is over.
    proxy.heal();
    api.resolve(id).await;
    wait_until("the announcement after the pause", 40, || {
        announced(&bot) == [id]
    })
    .await;
    let (_, body) = bot.readyz().await;
    assert_eq!(body["notifications"], "running", "{body}");
    assert!(bot
        .metrics()
        .await
        .contains("paradarum_notifications_paused 0"));
}

/// A sandbox with `n` resolved tickets in its feed before the bot ever starts.
async fn busy_api(n: usize) -> (Api, String) {
    let api = Api::start().await;
    let cust = api.customer("Busy").await;
    for i in 0..n {
        let id = api.open(&cust, &format!("old {i}")).await;
        api.resolve(id).await;
    }
    (api, cust)
}

#[tokio::test]
async fn a_first_start_on_a_busy_feed_announces_nothing_old_and_everything_new() {
    let (api, cust) = busy_api(20).await;
    let token = api.integration_token().await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let bot = start_remote(&remote_env(&api.url, &token, &key)).await;
    // Several polls (every 2 s) go by.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(announced(&bot).is_empty(), "old: {:?}", announced(&bot));
    let new = api.open(&cust, "new").await;
    api.resolve(new).await;
    wait_until("the new ticket", 15, || announced(&bot) == [new]).await;
}

#[tokio::test]
async fn without_after_latest_the_bot_pages_to_the_end_and_still_announces_nothing_old() {
    let (api, cust) = busy_api(130).await;
    let proxy = ApiProxy::start(api.url.clone()).await;
    // An API that lags our contract: no /v1/meta, so no extension is announced.
    proxy.fail("/v1/meta", 404);
    let token = api.integration_token().await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let bot = start_remote(&remote_env(&proxy.url, &token, &key)).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(announced(&bot).is_empty(), "old: {:?}", announced(&bot));
    assert!(bot.log().contains("paged to its end"), "{}", bot.log());
    let new = api.open(&cust, "new").await;
    api.resolve(new).await;
    wait_until("the new ticket", 15, || announced(&bot) == [new]).await;
}

#[tokio::test]
async fn a_backfill_window_announces_the_recent_past_on_purpose() {
    let (api, _) = busy_api(12).await;
    let token = api.integration_token().await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut env = remote_env(&api.url, &token, &key);
    env.push(("PARADARUM_BOT__NOTIFICATIONS__BACKFILL".into(), "1h".into()));
    let bot = start_remote(&env).await;
    wait_until("the 12 recent tickets", 20, || {
        let mut ids = announced(&bot);
        ids.sort_unstable();
        ids == (1..=12).collect::<Vec<u64>>()
    })
    .await;
}

#[tokio::test]
async fn a_nan_retry_after_from_a_proxy_kills_no_stage() {
    let bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let token = bot.sandbox_customer("NaN").await;
    bot.fake.inner.faults.lock().unwrap().nan_429 = 1;
    let first = bot.sandbox_open(&token, 0, "first").await;
    bot.sandbox_set_status(first, 2).await;
    wait_until("the first announcement, after the odd 429", 15, || {
        announced(&bot) == [first]
    })
    .await;
    // The dispatcher is still alive: a later ticket goes out too.
    let second = bot.sandbox_open(&token, 0, "second").await;
    bot.sandbox_set_status(second, 2).await;
    wait_until("the second announcement", 15, || {
        announced(&bot) == [first, second]
    })
    .await;
    assert!(bot
        .fake
        .recorded()
        .iter()
        .any(|r| r.status == 429 && r.path.ends_with("/messages")));
}

#[tokio::test]
async fn a_stage_that_dies_is_restarted_counted_and_reported() {
    let bot = Bot::start_with(&[
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ("PARADARUM_BOT_TEST_PANIC", "dispatcher,poller"),
    ])
    .await;
    let token = bot.sandbox_customer("Phoenix").await;
    let id = bot.sandbox_open(&token, 0, "after the restart").await;
    bot.sandbox_set_status(id, 2).await;
    wait_until("the announcement after the restarts", 20, || {
        announced(&bot) == [id]
    })
    .await;
    let m = bot.metrics().await;
    assert!(
        m.contains("paradarum_stage_restarts_total{stage=\"dispatcher\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("paradarum_stage_restarts_total{stage=\"poller\"} 1"),
        "{m}"
    );
    let log = bot.log();
    assert!(
        log.contains("notification stage stopped; restarting it"),
        "{log}"
    );
    wait_ready(&bot).await;
    let (_, body) = bot.readyz().await;
    assert_eq!(body["notifications"], "running", "{body}");
    assert_eq!(body["stages"]["dispatcher"], "running", "{body}");
}

#[tokio::test]
async fn after_a_database_reset_new_notices_are_not_swallowed_as_old_nonces() {
    let mut bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let token = bot.sandbox_customer("Before").await;
    let before = bot.sandbox_open(&token, 0, "before the reset").await;
    bot.sandbox_set_status(before, 2).await;
    wait_until("the first notice", 15, || announced(&bot) == [before]).await;

    // Everything the bot kept is deleted; it starts again on the same Discord channel.
    bot.reset_data();
    bot.spawn().await;
    let token = bot.sandbox_customer("After").await;
    let after = bot.sandbox_open(&token, 0, "after the reset").await;
    bot.sandbox_set_status(after, 2).await;
    wait_until("the notice after the reset", 15, || {
        bot.channel_messages(STAFF).len() == 2
    })
    .await;
    let second = text_of(&bot.channel_messages(STAFF)[1]);
    assert!(second.contains("after the reset"), "{second}");
    let nonces: Vec<String> = bot
        .channel_messages(STAFF)
        .iter()
        .map(|m| m["nonce"].as_str().unwrap().to_string())
        .collect();
    assert_ne!(nonces[0], nonces[1]);
    assert!(nonces.iter().all(|n| n.len() <= 25), "{nonces:?}");
}

#[tokio::test]
async fn finished_rows_are_deleted_after_retention_and_restarts_reuse_the_sandbox_token() {
    let mut bot = Bot::start_with(&[
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ("PARADARUM_BOT__NOTIFICATIONS__RETENTION", "2s"),
        ("PARADARUM_BOT__NOTIFICATIONS__RETENTION_CHECK_SECS", "1"),
    ])
    .await;
    let a = alice();
    let (id, _) = bot.open_via_discord(&a, 0, "Kept a while").await;
    bot.sandbox_set_status(id, 2).await;
    wait_until("the notice and the DM", 15, || {
        announced(&bot) == [id] && dms(&bot).len() == 1
    })
    .await;
    // Closed: the opener record's retention starts.
    let r = bot
        .api
        .post(bot.sandbox_url(&format!("v1/tickets/{id}/close")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());

    let store = bot.store().await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sizes = store.notify().table_sizes().await.unwrap();
        let count = |t: &str| sizes.iter().find(|(n, _)| *n == t).unwrap().1;
        if count("inbox_events") == 0
            && count("outbox_jobs") == 0
            && count("ticket_openers") == 0
            && count("dm_channels") == 0
        {
            break;
        }
        assert!(Instant::now() < deadline, "not pruned: {sizes:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let m = bot.metrics().await;
    assert!(!m.contains("paradarum_retention_deleted_total 0"), "{m}");

    // The bot's sandbox integration token is minted once, not at every start.
    let db = format!(
        "sqlite://{}/data/paradarum-bot.db",
        bot.dir.path().display()
    );
    let tokens = || async {
        let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_tokens WHERE account_id IS NULL")
                .fetch_one(&pool)
                .await
                .unwrap();
        pool.close().await;
        n
    };
    assert_eq!(tokens().await, 1);
    store.close().await;
    bot.stop();
    bot.spawn().await;
    bot.stop();
    bot.spawn().await;
    assert_eq!(tokens().await, 1, "restarts minted new tokens");
}

#[tokio::test]
async fn webhook_timestamps_at_the_ends_of_i64_are_refused_not_a_crash() {
    let bot = Bot::start_with(&[
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ("PARADARUM_WEBHOOK_SECRET", SECRET),
    ])
    .await;
    let secret = WebhookSecret::parse(SECRET).unwrap();
    let body = br#"{"id":"evt_1","type":"ticket.created","ticketId":1,"accountId":"a","occurredAt":"2026-01-01T00:00:00Z","data":{}}"#;
    wait_ready(&bot).await;
    for ts in [i64::MIN, i64::MAX, i64::MIN + 1, -1] {
        let r = bot
            .api
            .post(format!(
                "http://127.0.0.1:{}/webhooks/paradarum",
                bot.http_port
            ))
            .header("webhook-id", "evt_1")
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", secret.sign("evt_1", ts, body))
            .body(body.to_vec())
            .send()
            .await
            .expect("the bot answers");
        assert_eq!(r.status().as_u16(), 401, "timestamp {ts}");
    }
    let (status, _) = bot.readyz().await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_user_whose_dms_are_closed_is_tried_once_then_left_alone() {
    let bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let a = alice();
    let (one, _) = bot.open_via_discord(&a, 0, "first").await;
    let (two, _) = bot.open_via_discord(&a, 0, "second").await;
    bot.fake.inner.closed_dms.lock().unwrap().insert(a.id);
    bot.sandbox_set_status(one, 2).await;
    wait_until("the first notice", 15, || announced(&bot) == [one]).await;
    bot.sandbox_set_status(two, 2).await;
    wait_until("the second notice", 15, || announced(&bot).len() == 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let refused = bot
        .fake
        .recorded()
        .iter()
        .filter(|r| r.status == 403)
        .count();
    assert_eq!(refused, 1, "closed DMs were tried again");
    let m = bot.metrics().await;
    assert!(m.contains("paradarum_dm_skipped_total 1"), "{m}");
    assert!(
        m.contains("paradarum_discord_invalid_requests_10m 1"),
        "{m}"
    );
}
