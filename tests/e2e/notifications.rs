//! Staff notifications and customer DMs: once each, in the right channel, through faults
//! and restarts; webhooks verified the Standard Webhooks way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use paradarum_bot::signing::WebhookSecret;
use serde_json::{json, Value};

use crate::harness::{alice, bob, buttons, text_of, Bot, User, ADMIN};

const STAFF: u64 = 700_000_000_000_000_001;
const BILLING: u64 = 700_000_000_000_000_002;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn staff_env() -> Vec<(&'static str, String)> {
    vec![
        ("STAFF_CHANNEL_ID", STAFF.to_string()),
        (
            "PARADARUM_BOT__NOTIFICATIONS__CHANNEL_BILLING",
            BILLING.to_string(),
        ),
    ]
}

async fn start(extra: &[(&str, &str)]) -> Bot {
    let mut env: Vec<(String, String)> = staff_env()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Bot::start_with(&pairs).await
}

/// Ticket ids a staff message announces (single card or coalesced lines).
fn announced(msg: &Value) -> Vec<u64> {
    crate::harness::announced_ids(msg)
}

/// How many times each ticket was announced across the staff channels.
fn announcements(bot: &Bot, channels: &[u64]) -> HashMap<u64, usize> {
    let mut counts = HashMap::new();
    for (c, m) in bot.all_channel_messages() {
        if channels.contains(&c) {
            for id in announced(&m) {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
    }
    counts
}

async fn wait_until(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn open_from_discord(bot: &Bot, user: &User, topic: u8, subject: &str) -> u64 {
    bot.open_via_discord(user, topic, subject).await.0
}

fn dms(bot: &Bot) -> Vec<Value> {
    bot.all_channel_messages()
        .into_iter()
        .filter(|(c, _)| *c != STAFF && *c != BILLING)
        .map(|(_, m)| m)
        .collect()
}

#[tokio::test]
async fn a_resolved_ticket_is_announced_once_in_its_topic_channel_and_dmed_to_its_owner() {
    let bot = start(&[]).await;
    let a = alice();
    let billing = open_from_discord(&bot, &a, 3, "Invoice @everyone <@&1>").await;
    let general = open_from_discord(&bot, &bob(), 0, "Question").await;
    bot.sandbox_set_status(billing, 2).await;
    bot.sandbox_set_status(general, 2).await;

    wait_until("both announcements and DMs", 15, || {
        announcements(&bot, &[STAFF, BILLING]).len() == 2 && dms(&bot).len() == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let billing_msgs = bot.channel_messages(BILLING);
    assert_eq!(billing_msgs.len(), 1);
    assert_eq!(announced(&billing_msgs[0]), [billing]);
    let staff_msgs = bot.channel_messages(STAFF);
    assert_eq!(staff_msgs.len(), 1);
    assert_eq!(announced(&staff_msgs[0]), [general]);
    let card = text_of(&billing_msgs[0]);
    assert!(
        card.contains(&format!("<@{}>", a.id)),
        "who opened it: {card}"
    );
    assert!(
        !card.contains("@everyone") && !card.contains("<@&1>"),
        "{card}"
    );
    assert_eq!(billing_msgs[0]["allowed_mentions"]["parse"], json!([]));

    let dm_list = dms(&bot);
    assert_eq!(dm_list.len(), 2, "one DM per owner");
    let alices = dm_list
        .iter()
        .find(|m| text_of(m).contains(&format!("#{billing}")))
        .unwrap();
    assert!(text_of(alices).contains("Resolved"));
    let labels: Vec<String> = buttons(alices).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["Reply", "Close ticket (final)"]);

    // The DM's Reply button works (from a DM, no guild), and replying reopens the ticket.
    let reply_id = buttons(alices)[0].1.clone();
    let press = bot.press(&a, &reply_id, false);
    let modal = bot.callback(&press).await;
    assert_eq!(modal["type"], 9, "{modal}");
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&a, &cid, &[("body", "Not fixed yet")]);
    let done = text_of(&bot.final_message(&sub, 10).await);
    assert!(done.contains("Open again"), "{done}");
    let t = bot.sandbox_tickets().await;
    let b = t.iter().find(|x| x["id"] == billing).unwrap();
    assert_eq!(b["status"], 0);
    bot.assert_no_schema_errors();

    let m = bot.metrics().await;
    assert!(
        m.contains("paradarum_notifications_sent_total{kind=\"staff\"} 2"),
        "{m}"
    );
}

fn signed(secret: &WebhookSecret, id: &str, ts: i64, body: &[u8]) -> [(String, String); 3] {
    [
        ("webhook-id".into(), id.into()),
        ("webhook-timestamp".into(), ts.to_string()),
        ("webhook-signature".into(), secret.sign(id, ts, body)),
    ]
}

async fn post_hook(bot: &Bot, headers: &[(String, String)], body: Vec<u8>) -> u16 {
    let mut req = bot
        .api
        .post(format!(
            "http://127.0.0.1:{}/webhooks/paradarum",
            bot.http_port
        ))
        .header("content-type", "application/json")
        .body(body);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn forged_expired_replayed_and_oversized_webhooks_change_nothing() {
    let bot = start(&[("PARADARUM_WEBHOOK_SECRET", SECRET)]).await;
    let secret = WebhookSecret::parse(SECRET).unwrap();
    let id = open_from_discord(&bot, &alice(), 0, "Hooked").await;
    let event = json!({"id": "evt_900000000001", "type": "ticket.status_changed", "ticketId": id,
        "accountId": "acc_x", "occurredAt": "2026-11-26T12:00:00Z", "data": {"from": 0, "to": 2}});
    let body = serde_json::to_vec(&event).unwrap();
    let now = chrono::Utc::now().timestamp();

    let wrong = WebhookSecret::generate();
    assert_eq!(
        post_hook(
            &bot,
            &signed(&wrong, "evt_900000000001", now, &body),
            body.clone()
        )
        .await,
        401
    );
    assert_eq!(
        post_hook(
            &bot,
            &signed(&secret, "evt_900000000001", now - 600, &body),
            body.clone()
        )
        .await,
        401
    );
    assert_eq!(post_hook(&bot, &[], body.clone()).await, 401);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    assert_eq!(
        post_hook(
            &bot,
            &signed(&secret, "evt_900000000001", now, &body),
            tampered
        )
        .await,
        401
    );
    let big = vec![b' '; 300 * 1024];
    assert_eq!(
        post_hook(&bot, &signed(&secret, "evt_9", now, &big), big).await,
        413
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        bot.channel_messages(STAFF).is_empty(),
        "nothing sent for refused webhooks"
    );

    // A good one is announced once; its replay is accepted and changes nothing.
    let headers = signed(&secret, "evt_900000000001", now, &body);
    assert_eq!(post_hook(&bot, &headers, body.clone()).await, 204);
    assert_eq!(post_hook(&bot, &headers, body.clone()).await, 204);
    wait_until("the announcement", 10, || {
        !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(announcements(&bot, &[STAFF]).get(&id), Some(&1));
    let m = bot.metrics().await;
    assert!(
        m.contains("paradarum_webhook_signature_failures_total 4"),
        "{m}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_sandbox_pushes_signed_webhooks_to_the_bot_out_of_the_box() {
    let bot = start(&[("PARADARUM_WEBHOOK_SECRET", SECRET)]).await;
    let id = open_from_discord(&bot, &alice(), 0, "Pushed").await;
    bot.sandbox_set_status(id, 2).await;
    // Webhooks on: the feed is polled only every 60 s, so a quick announcement came by webhook.
    wait_until("the announcement", 10, || {
        !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    let m = bot.metrics().await;
    assert!(
        !m.contains("paradarum_events_received_total{source=\"webhook\"} 0"),
        "{m}"
    );
}

#[tokio::test]
async fn a_sigkill_in_a_300_ticket_resolve_burst_still_announces_each_ticket_exactly_once() {
    let mut bot = start(&[]).await;
    let token = bot.sandbox_customer("Burst").await;
    let mut ids = Vec::new();
    for i in 0..300 {
        ids.push(
            bot.sandbox_open(&token, (i % 6) as u8, &format!("burst {i}"))
                .await,
        );
    }
    let done = Arc::new(AtomicUsize::new(0));
    let resolver = {
        let ids = ids.clone();
        let done = done.clone();
        let url = bot.sandbox_url("");
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            for id in ids {
                // The sandbox lives in the bot's process: retry through the restart.
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    let r = http
                        .post(format!("{url}v1/tickets/{id}/status"))
                        .bearer_auth(ADMIN)
                        .json(&json!({"status": 2}))
                        .send()
                        .await;
                    if r.is_ok_and(|r| r.status().is_success()) {
                        break;
                    }
                    assert!(Instant::now() < deadline, "could not resolve {id}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                done.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    wait_until("100 resolves", 30, || done.load(Ordering::SeqCst) >= 100).await;
    bot.kill_hard();
    bot.spawn().await;
    resolver.await.unwrap();

    let channels = [STAFF, BILLING];
    wait_until("all 300 announced", 90, || {
        announcements(&bot, &channels).len() == 300
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let counts = announcements(&bot, &channels);
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "announced more than once: {twice:?}");
    for id in &ids {
        assert_eq!(counts.get(id), Some(&1), "ticket {id}");
    }
    // Coalesced: far fewer messages than tickets, and Discord's limit never hit.
    let messages = bot.all_channel_messages().len();
    assert!(messages < 60, "{messages} messages for 300 tickets");
    assert!(
        !bot.fake.recorded().iter().any(|r| r.status == 429),
        "the bot ran into Discord's rate limit"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn discord_500s_and_429s_delay_delivery_but_lose_and_double_nothing() {
    let bot = start(&[]).await;
    let token = bot.sandbox_customer("Faults").await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(bot.sandbox_open(&token, 0, &format!("fault {i}")).await);
    }
    {
        let mut f = bot.fake.inner.faults.lock().unwrap();
        f.fail_500 = 3;
        f.fail_429 = 3;
    }
    for id in &ids {
        bot.sandbox_set_status(*id, 2).await;
    }
    wait_until("all 20 announced", 60, || {
        announcements(&bot, &[STAFF]).len() == 20
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let counts = announcements(&bot, &[STAFF]);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    let failed = bot
        .fake
        .recorded()
        .iter()
        .filter(|r| r.path.contains("/messages") && (r.status == 500 || r.status == 429))
        .count();
    assert!(failed >= 1, "the faults were exercised");
}

#[tokio::test]
async fn a_channel_discord_refuses_is_parked_not_hammered() {
    let bot = start(&[]).await;
    bot.fake
        .inner
        .forbidden_channels
        .lock()
        .unwrap()
        .insert(STAFF);
    let token = bot.sandbox_customer("Parked").await;
    for i in 0..3 {
        let id = bot.sandbox_open(&token, 0, &format!("p{i}")).await;
        bot.sandbox_set_status(id, 2).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let tries = bot
        .fake
        .recorded()
        .iter()
        .filter(|r| r.path == format!("/channels/{STAFF}/messages"))
        .count();
    assert!(
        (1..=3).contains(&tries),
        "{tries} attempts on a refused channel"
    );
    let m = bot.metrics().await;
    assert!(m.contains("paradarum_jobs_parked_total"), "{m}");
    assert!(!m.contains("paradarum_jobs_parked_total 0"), "{m}");
    assert!(bot.log().contains("parked"), "{}", bot.log());

    // check-config, run where the bot keeps its data, warns about it too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paradarum-bot"))
        .arg("check-config")
        .env_clear()
        .current_dir(bot.dir.path())
        .env("DISCORD_TOKEN", "x")
        .env("HTTP_LISTEN", "127.0.0.1:1")
        .env("SANDBOX_LISTEN", "127.0.0.1:2")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Discord refused channel {STAFF}")) && text.contains("parked"),
        "{text}"
    );
}

#[tokio::test]
async fn administrators_can_move_tickets_with_sandbox_commands_and_others_cannot() {
    let bot = start(&[]).await;
    let id = open_from_discord(&bot, &alice(), 0, "Try the loop").await;
    let mut admin = bob();
    admin.admin = true;

    let sent = bot.command_named(
        &bob(),
        "sandbox",
        "resolve",
        json!([{"type": 3, "name": "ticket", "value": id.to_string()}]),
    );
    bot.callback(&sent).await;
    let text = text_of(&bot.final_message(&sent, 10).await);
    assert!(text.contains("Only server administrators"), "{text}");
    assert_eq!(bot.sandbox_tickets().await[0]["status"], 0);

    let sent = bot.command_named(
        &admin,
        "sandbox",
        "resolve",
        json!([{"type": 3, "name": "ticket", "value": id.to_string()}]),
    );
    bot.callback(&sent).await;
    let text = text_of(&bot.final_message(&sent, 10).await);
    assert!(text.contains("is now Resolved"), "{text}");
    assert_eq!(bot.sandbox_tickets().await[0]["status"], 2);
    wait_until("the announcement", 10, || {
        !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    bot.assert_no_schema_errors();
}

/// A first start on an API that seeks with `since=`, with nothing in the feed after the
/// bot's first run: the bot stores no cursor yet, and must ask again at its poll interval,
/// not at once (it once spun here at ~470 requests a second until the first event came).
#[tokio::test]
async fn a_first_start_on_a_quiet_feed_polls_at_its_interval_not_in_a_loop() {
    let (port, _dir) = crate::harness::external_sandbox().await;
    let proxy = crate::harness::ApiProxy::start(format!("http://127.0.0.1:{port}")).await;
    let http = reqwest::Client::new();
    let tok: Value = http
        .post(format!("http://127.0.0.1:{port}/v1/sandbox/tokens"))
        .bearer_auth(ADMIN)
        .json(&json!({"scopes": ["events:read", "tickets:read"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut bot = Bot::start_with(&[
        ("PARADARUM_API_URL", &proxy.url),
        ("PARADARUM_API_TOKEN", tok["token"].as_str().unwrap()),
        ("BOT_SECRET_KEY", &key),
        ("STAFF_CHANNEL_ID", "1100"),
        ("PARADARUM_BOT__NOTIFICATIONS__POLL_INTERVAL_SECS", "1"),
    ])
    .await;
    // Once the feed has been asked (the poller runs), count the asks over 3 s: at a 1 s
    // interval that is about 3; a loop would make hundreds.
    let deadline = Instant::now() + Duration::from_secs(10);
    while proxy.seen("GET", "/v1/events").is_empty() {
        assert!(Instant::now() < deadline, "the feed was never read");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = proxy.seen("GET", "/v1/events").len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let asks = proxy.seen("GET", "/v1/events").len() - before;
    assert!(
        (1..=6).contains(&asks),
        "{asks} reads of the feed in 3 s at a 1 s poll interval"
    );
    // And the feed still works from there: a ticket made now is announced.
    bot.sandbox_port = port;
    let customer = bot.sandbox_customer("Quiet").await;
    let id = bot
        .sandbox_open(&customer, 0, "after the quiet start")
        .await;
    bot.sandbox_set_status(id, 2).await;
    let found = bot
        .fake
        .wait_for(Duration::from_secs(15), |sent| {
            sent.iter()
                .any(|m| text_of(&m.body).contains(&format!("#{id}")))
                .then_some(())
        })
        .await;
    assert!(found.is_some(), "the Resolved ticket was not announced");
}
