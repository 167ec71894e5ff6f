//! A staff reply reaches the customer's DM with the staff member's own words (#13): posted
//! as Paradarum's panel would (the sandbox admin token, with a `staffName`), through the
//! real binary's notification pipeline to the fake Discord; a long one is cut to one embed
//! with *Read all*, whose pages together are the whole message, for its owner only.

use std::time::{Duration, Instant};

use paradarum_bot::discord::render::inert;
use serde_json::{json, Value};

use crate::harness::{alice, bob, buttons, external_sandbox, text_of, ApiProxy, Bot, User, ADMIN};

const STAFF: u64 = 700_000_000_000_000_001;

async fn start() -> Bot {
    Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await
}

/// The DMs sent so far (every message outside the staff channel).
fn dms(bot: &Bot) -> Vec<Value> {
    bot.all_channel_messages()
        .into_iter()
        .filter(|(c, _)| *c != STAFF)
        .map(|(_, m)| m)
        .collect()
}

/// The first DM that `pick` accepts, waiting up to `secs`.
async fn wait_dm(bot: &Bot, secs: u64, pick: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(m) = dms(bot).into_iter().find(|m| pick(m)) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no such DM; sent: {:#?}\nlog:\n{}",
            dms(bot),
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A staff reply as Paradarum's panel posts it.
async fn panel_reply(bot: &Bot, ticket: u64, body: &str, staff_name: &str) -> Value {
    let r = bot
        .api
        .post(bot.sandbox_url(&format!("v1/tickets/{ticket}/messages")))
        .bearer_auth(ADMIN)
        .json(&json!({"body": body, "staffName": staff_name}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    r.json().await.unwrap()
}

fn description(msg: &Value) -> String {
    let embeds = msg["embeds"]
        .as_array()
        .or_else(|| msg["data"]["embeds"].as_array())
        .cloned()
        .unwrap_or_default();
    embeds[0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn button(msg: &Value, label: &str) -> Option<String> {
    buttons(msg)
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|(_, id)| id)
}

/// Presses `custom_id` as `user` (from a DM) and returns the message that answers it.
async fn press(bot: &Bot, user: &User, custom_id: &str) -> Value {
    let sent = bot.press(user, custom_id, false);
    bot.final_message(&sent, 10).await
}

#[tokio::test]
async fn a_panel_reply_with_a_staff_name_reaches_the_customers_dm_with_its_words() {
    let bot = start().await;
    let a = alice();
    let (id, _) = bot.open_via_discord(&a, 4, "Certificate expired").await;
    let words = "Renewed it: run `certbot renew` once more. @everyone <@&1> [here](http://evil)";
    panel_reply(&bot, id, words, "Ana Pérez").await;

    let dm = wait_dm(&bot, 15, |m| text_of(m).contains("Ana Pérez")).await;
    let shown = text_of(&dm);
    assert!(
        shown.contains(&format!("Ana Pérez replied to ticket #{id}")),
        "{shown}"
    );
    // The words themselves, inert: nothing can ping or link.
    assert!(description(&dm).contains(&inert(words)), "{shown}");
    assert!(
        !shown.contains("@everyone") && !shown.contains("<@&1>"),
        "{shown}"
    );
    assert_eq!(
        dm["allowed_mentions"],
        json!({"parse": [], "roles": [], "users": []})
    );
    let labels: Vec<String> = buttons(&dm).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        labels,
        ["Reply", "Close ticket (final)"],
        "short: no Read all"
    );

    // /ticket status names who wrote it too.
    let status = bot.command(
        &a,
        "status",
        json!([{"type": 3, "name": "ticket", "value": id.to_string()}]),
    );
    let card = text_of(&bot.final_message(&status, 10).await);
    assert!(card.contains("Ana Pérez · Paradarum support"), "{card}");
    assert_eq!(dms(&bot).len(), 1, "one DM for one reply");
    bot.assert_no_schema_errors();

    // The integration token the bot minted itself on the sandbox (it read this reply with
    // it) holds the scopes staff actions from Discord need.
    let db = format!(
        "sqlite://{}/data/paradarum-bot.db",
        bot.dir.path().display()
    );
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let minted: Vec<String> =
        sqlx::query_scalar("SELECT scopes FROM sandbox_tokens WHERE account_id IS NULL")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    assert_eq!(minted.len(), 1, "{minted:?}");
    let mut scopes: Vec<&str> = minted[0].split_whitespace().collect();
    scopes.sort_unstable();
    assert_eq!(
        scopes,
        [
            "events:read",
            "tickets:read",
            "tickets:status",
            "tickets:topic",
            "tickets:write"
        ]
    );
}

#[tokio::test]
async fn a_long_staff_reply_is_cut_with_read_all_whose_pages_are_the_whole_text() {
    let bot = start().await;
    let a = alice();
    let (id, _) = bot.open_via_discord(&a, 0, "Site down").await;
    let long: String = (1..=160)
        .map(|i| format!("Step {i}: check `nginx -t` and *reload* <@{i}> @here.\n"))
        .collect();
    assert!(long.chars().count() > 4096 && long.chars().count() <= 20_000);
    panel_reply(&bot, id, &long, "Bo").await;

    let dm = wait_dm(&bot, 15, |m| text_of(m).contains("Bo replied")).await;
    let shown = description(&dm);
    assert!(shown.chars().count() <= 4096, "{}", shown.chars().count());
    assert!(shown.ends_with('…'), "cut: {shown}");
    assert!(shown.contains(&inert("Step 1: check")), "{shown}");
    let labels: Vec<String> = buttons(&dm).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["Read all", "Reply", "Close ticket (final)"]);
    let read_all = button(&dm, "Read all").unwrap();

    // Someone else pressing it sees nothing of the message.
    let refused = press(&bot, &bob(), &read_all).await;
    let refusal = text_of(&refused);
    assert!(refusal.contains(&format!("ticket #{id}")), "{refusal}");
    assert!(!refusal.contains("Step 1"), "{refusal}");
    assert!(button(&refused, "Next page").is_none());

    // The owner pages through it: every page in order, then no Next.
    let mut page = press(&bot, &a, &read_all).await;
    let mut pages = vec![description(&page)];
    for _ in 0..20 {
        let Some(next) = button(&page, "Next page") else {
            break;
        };
        page = press(&bot, &a, &next).await;
        pages.push(description(&page));
    }
    assert!(button(&page, "Next page").is_none(), "paging ended");
    assert!(pages.len() >= 2, "{}", pages.len());
    for p in &pages {
        assert!(p.chars().count() <= 4096);
    }
    assert_eq!(
        pages.concat(),
        inert(&long),
        "the pages are the whole message"
    );
    assert!(text_of(&page).contains(&format!("Page {} of {}", pages.len(), pages.len())));
    // And back.
    let previous = button(&page, "Previous page").unwrap();
    let back = press(&bot, &a, &previous).await;
    assert_eq!(description(&back), pages[pages.len() - 2]);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_staff_reply_that_cannot_be_read_is_still_dmed_saying_support_replied() {
    // "Paradarum": a sandbox of its own behind a proxy that can fail one path.
    let (port, _dir) = external_sandbox().await;
    let proxy = ApiProxy::start(format!("http://127.0.0.1:{port}")).await;
    let sandbox = |path: &str| format!("http://127.0.0.1:{port}/{path}");
    let http = reqwest::Client::new();
    let minted: Value = http
        .post(sandbox("v1/sandbox/tokens"))
        .bearer_auth(ADMIN)
        .json(&json!({"scopes": ["events:read", "tickets:read"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let account: Value = http
        .post(sandbox("v1/sandbox/accounts"))
        .bearer_auth(ADMIN)
        .json(&json!({"name": "Alice"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = paradarum_bot::config::SecretKey::generate_text();
    let staff = STAFF.to_string();
    let mut bot = Bot::start_with(&[
        ("PARADARUM_API_URL", proxy.url.as_str()),
        ("PARADARUM_API_TOKEN", minted["token"].as_str().unwrap()),
        ("BOT_SECRET_KEY", &key),
        ("STAFF_CHANNEL_ID", &staff),
    ])
    .await;
    bot.sandbox_port = port;
    let a = alice();
    let slash = bot.command(&a, "link", json!([]));
    let modal = bot.callback(&slash).await;
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&a, &cid, &[("token", account["token"].as_str().unwrap())]);
    assert!(text_of(&bot.final_message(&sub, 10).await).contains("Linked"));
    let (id, _) = bot.open_via_discord(&a, 0, "Mail bounces").await;

    // The ticket reads, its messages do not.
    proxy.fail(&format!("/v1/tickets/{id}/messages"), 500);
    panel_reply(&bot, id, "Your MX record was wrong; fixed.", "Ana").await;

    let dm = wait_dm(&bot, 30, |m| text_of(m).contains(&format!("#{id}"))).await;
    let shown = text_of(&dm);
    assert!(
        shown.contains(&format!("Support replied to ticket #{id}")),
        "{shown}"
    );
    assert!(shown.contains("/ticket status"), "{shown}");
    assert!(!shown.contains("MX record"), "{shown}");
    let labels: Vec<String> = buttons(&dm).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["Reply", "Close ticket (final)"]);
    assert!(!proxy
        .seen("GET", &format!("/v1/tickets/{id}/messages"))
        .is_empty());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(dms(&bot).len(), 1, "one DM, not lost and not doubled");
    bot.assert_no_schema_errors();
}
