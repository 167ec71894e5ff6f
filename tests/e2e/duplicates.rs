//! Two gateway sessions (replicas during a handoff) may both receive an interaction: the
//! first answer wins and Discord refuses the other with 40060. Here the fake delivers
//! each interaction twice (same id and token): every time exactly one answer, exactly
//! one side effect in the ticket API or the store, and nothing shown for the second.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{json, Value};

use crate::fake_discord::APP_ID;
use crate::harness::{alice, external_sandbox, text_of, ApiProxy, Bot, Sent, User};

const MOD_ROLE: u64 = 800_000_000_000_000_001;

fn twice(bot: &Bot, on: bool) {
    bot.fake.inner.deliver_twice.store(on, Ordering::SeqCst);
}

/// Waits for both deliveries of `sent` to have made their first answer: exactly one was
/// accepted (204) and one refused (400, Discord's 40060). Returns the accepted body.
async fn answered_once(bot: &Bot, sent: &Sent) -> Value {
    let needle = format!("/interactions/{}/{}/callback", sent.id, sent.token);
    let both = bot
        .fake
        .wait_for(Duration::from_secs(10), |rs| {
            let tries: Vec<_> = rs.iter().filter(|r| r.path == needle).collect();
            (tries.len() >= 2).then(|| {
                tries
                    .iter()
                    .map(|r| (r.status, r.body.clone()))
                    .collect::<Vec<_>>()
            })
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "not both deliveries answered: {:#?}\n{}",
                bot.paths(),
                bot.log()
            )
        });
    let mut statuses: Vec<u16> = both.iter().map(|(s, _)| *s).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [204, 400],
        "one answer accepted, one refused: {both:?}"
    );
    both.into_iter()
        .find(|(s, _)| *s == 204)
        .map(|(_, b)| b)
        .unwrap_or_default()
}

/// The messages that followed the first answer to `sent` (edits and followups), after a
/// pause long enough for a stray second answer to show.
async fn later_answers(bot: &Bot, sent: &Sent) -> Vec<Value> {
    tokio::time::sleep(Duration::from_millis(700)).await;
    let prefix = format!("/webhooks/{APP_ID}/{}", sent.token);
    bot.fake
        .recorded()
        .into_iter()
        .filter(|r| r.path.starts_with(&prefix))
        .map(|r| {
            assert_eq!(r.status, 200, "{} {}", r.method, r.path);
            r.body
        })
        .collect()
}

/// The one message that answered `sent` after its deferral.
async fn only_answer(bot: &Bot, sent: &Sent) -> String {
    bot.final_message(sent, 15).await;
    let all = later_answers(bot, sent).await;
    assert_eq!(all.len(), 1, "exactly one answer: {all:#?}");
    text_of(&all[0])
}

/// Every second delivery was counted, none was told anything, none was warned about.
async fn assert_quietly_dropped(bot: &Bot, duplicates: u64) {
    let m = bot.metrics().await;
    assert!(
        m.contains(&format!(
            "paradarum_interactions_duplicate_total {duplicates}"
        )),
        "{m}"
    );
    let log = bot.log();
    for noise in [
        "could not answer",
        "could not tell the user",
        "could not acknowledge",
        "command failed",
    ] {
        assert!(!log.contains(noise), "{noise}:\n{log}");
    }
    bot.assert_no_schema_errors();
}

async fn events_of(bot: &Bot, kind: &str, ticket: u64) -> usize {
    bot.sandbox_items("v1/events?limit=100")
        .await
        .into_iter()
        .filter(|e| e["type"] == kind && e["ticketId"] == ticket)
        .count()
}

#[tokio::test]
async fn a_twice_delivered_open_shows_one_form_and_its_twice_delivered_submit_opens_one_ticket() {
    // With a cooldown: the second delivery must not be refused as "a second form".
    let bot = Bot::start_with(&[("PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS", "60")]).await;
    let user = alice();
    twice(&bot, true);
    let slash = bot.command(
        &user,
        "open",
        json!([{"type": 4, "name": "topic", "value": 0}]),
    );
    let modal = answered_once(&bot, &slash).await;
    assert_eq!(modal["type"], 9, "the form: {modal}");
    assert!(later_answers(&bot, &slash).await.is_empty());
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = bot.submit_modal(
        &user,
        &cid,
        &[
            ("subject", "Site down"),
            ("description", "Since this morning."),
        ],
    );
    let ack = answered_once(&bot, &submit).await;
    assert_eq!(ack["type"], 5, "{ack}");
    let text = only_answer(&bot, &submit).await;
    assert!(text.contains("is open"), "{text}");
    let tickets = bot.sandbox_tickets().await;
    assert_eq!(tickets.len(), 1, "{tickets:#?}");
    assert_eq!(
        events_of(&bot, "ticket.created", tickets[0]["id"].as_u64().unwrap()).await,
        1
    );
    assert_quietly_dropped(&bot, 2).await;
}

#[tokio::test]
async fn a_twice_delivered_reply_submit_adds_one_message() {
    let bot = Bot::start().await;
    let user = alice();
    let (id, _) = bot.open_via_discord(&user, 0, "Slow pages").await;
    twice(&bot, true);
    let slash = bot.command(
        &user,
        "reply",
        json!([{"type": 3, "name": "ticket", "value": id.to_string()}]),
    );
    let form = answered_once(&bot, &slash).await;
    assert_eq!(form["type"], 9, "{form}");
    let cid = form["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = bot.submit_modal(&user, &cid, &[("body", "Still slow.")]);
    answered_once(&bot, &submit).await;
    let text = only_answer(&bot, &submit).await;
    assert!(text.contains("Your reply was added"), "{text}");
    let messages = bot.sandbox_messages(id).await;
    assert_eq!(
        messages.len(),
        2,
        "the opening message and one reply: {messages:#?}"
    );
    assert_eq!(events_of(&bot, "ticket.message_created", id).await, 1);
    assert_quietly_dropped(&bot, 2).await;
}

#[tokio::test]
async fn a_twice_delivered_close_confirmation_closes_once() {
    let bot = Bot::start().await;
    let user = alice();
    let (id, _) = bot.open_via_discord(&user, 0, "Done soon").await;
    twice(&bot, true);
    let press = bot.press(&user, &format!("t:closeok:{id}"), true);
    let ack = answered_once(&bot, &press).await;
    assert_eq!(ack["type"], 6, "{ack}");
    let text = only_answer(&bot, &press).await;
    assert!(text.contains("is now Closed"), "{text}");
    assert_eq!(events_of(&bot, "ticket.status_changed", id).await, 1);
    assert_quietly_dropped(&bot, 1).await;
}

#[tokio::test]
async fn a_twice_delivered_escalation_moves_the_ticket_once() {
    let bot = Bot::start_with(&[("MODERATOR_ROLE_IDS", &MOD_ROLE.to_string())]).await;
    let (id, _) = bot.open_via_discord(&alice(), 0, "Invoice").await;
    let moderator = User {
        id: 400_000_000_000_000_009,
        name: "mod",
        roles: vec![MOD_ROLE],
        admin: false,
    };
    twice(&bot, true);
    let sent = bot.command(
        &moderator,
        "escalate",
        json!([
            {"type": 3, "name": "ticket", "value": id.to_string()},
            {"type": 4, "name": "to", "value": 3},
            {"type": 3, "name": "reason", "value": "An invoice question"},
        ]),
    );
    answered_once(&bot, &sent).await;
    let text = only_answer(&bot, &sent).await;
    assert!(text.contains("General → **Billing**"), "{text}");
    assert_eq!(events_of(&bot, "ticket.topic_changed", id).await, 1);
    let m = bot.metrics().await;
    assert!(m.contains("paradarum_escalations_total 1"), "{m}");
    assert_quietly_dropped(&bot, 1).await;
}

#[tokio::test]
async fn a_twice_delivered_link_checks_and_stores_the_token_once() {
    let (port, _dir) = external_sandbox().await;
    let proxy = ApiProxy::start(format!("http://127.0.0.1:{port}")).await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut bot = Bot::start_with(&[
        ("PARADARUM_API_URL", proxy.url.as_str()),
        ("BOT_SECRET_KEY", &key),
    ])
    .await;
    bot.sandbox_port = port;
    let token = bot.sandbox_customer("Alice Ltd").await;
    let user = alice();
    twice(&bot, true);
    let slash = bot.command(&user, "link", json!([]));
    let modal = answered_once(&bot, &slash).await;
    assert_eq!(modal["type"], 9, "{modal}");
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = bot.submit_modal(&user, &cid, &[("token", &token)]);
    answered_once(&bot, &submit).await;
    let text = only_answer(&bot, &submit).await;
    assert!(text.contains("Linked"), "{text}");
    // One token check against the API, one link written.
    assert_eq!(proxy.seen("GET", "/v1/account").len(), 1);
    assert_eq!(bot.log().matches("Discord user linked").count(), 1);
    assert!(bot
        .store()
        .await
        .discord()
        .link(user.id)
        .await
        .unwrap()
        .is_some());
    assert_quietly_dropped(&bot, 2).await;
}
