//! The user-visible flows, each a test: the real binary, the fake Discord, the sandbox.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{alice, bob, buttons, text_of, Bot, Sent, User};

const EPHEMERAL: u64 = 64;

/// Opens a ticket through the whole flow; returns the sandbox ticket id and the final card.
async fn open_ticket(bot: &Bot, user: &User, topic: u8, subject: &str) -> (u64, Value) {
    bot.open_via_discord(user, topic, subject).await
}

/// Runs `/ticket <sub>` and returns the message that answered it.
async fn run(bot: &Bot, user: &User, sub: &str, options: Value) -> (Sent, Value) {
    let sent = bot.command(user, sub, options);
    let first = bot.callback(&sent).await;
    if first["type"] == 4 {
        return (sent, first["data"].clone());
    }
    assert_eq!(first["type"], 5, "{first}");
    assert_eq!(
        first["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "deferral must be ephemeral"
    );
    let msg = bot.final_message(&sent, 10).await;
    (sent, msg)
}

fn ticket_opt(id: u64) -> Value {
    json!([{"type": 3, "name": "ticket", "value": id.to_string()}])
}

#[tokio::test]
async fn open_slash_modal_submit_creates_one_open_ticket_and_an_ephemeral_card() {
    let bot = Bot::start().await;
    let (id, card) = open_ticket(&bot, &alice(), 4, "Certificate expired").await;
    let text = text_of(&card);
    assert!(text.contains("SSL / Certificates"), "{text}");
    assert!(text.contains("Open"), "{text}");
    assert_eq!(card["embeds"][0]["color"], 0x00A8FC);

    let tickets = bot.sandbox_tickets().await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["id"], id);
    assert_eq!(tickets[0]["topic"], 4);
    assert_eq!(tickets[0]["status"], 0);
    assert_eq!(tickets[0]["subject"], "Certificate expired");
    let msgs = bot.sandbox_messages(id).await;
    assert_eq!(msgs[0]["body"], "It stopped working this morning.");
    // Every interaction got exactly one initial response.
    let mut callbacks = std::collections::HashMap::new();
    for r in bot.fake.recorded() {
        if r.path.ends_with("/callback") {
            *callbacks.entry(r.path).or_insert(0) += 1;
        }
    }
    assert_eq!(callbacks.len(), 2);
    assert!(callbacks.values().all(|n| *n == 1), "{callbacks:?}");
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn after_the_gateway_connection_drops_the_bot_reconnects_and_answers() {
    let bot = Bot::start().await;
    let user = alice();
    bot.fake.drop_gateway();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !bot.fake.is_connected() {
        assert!(
            Instant::now() < deadline,
            "no reconnect; log:\n{}",
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (sent, msg) = run(&bot, &user, "list", json!([])).await;
    assert!(text_of(&msg).contains("No tickets"), "{}", text_of(&msg));
    assert_eq!(
        bot.requests_for(&sent)
            .iter()
            .filter(|r| r.path.ends_with("/callback"))
            .count(),
        1
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn submitting_the_same_modal_twice_still_makes_one_ticket() {
    let bot = Bot::start().await;
    let user = alice();
    let slash = bot.command(
        &user,
        "open",
        json!([{"type": 4, "name": "topic", "value": 1}]),
    );
    let modal = bot.callback(&slash).await;
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let fields = [
        ("subject", "Origin down"),
        ("description", "502 everywhere"),
    ];
    let first = bot.submit_modal(&user, &custom_id, &fields);
    let second = bot.submit_modal(&user, &custom_id, &fields);
    let a = text_of(&bot.final_message(&first, 10).await);
    let b = text_of(&bot.final_message(&second, 10).await);
    assert!(a.contains("Ticket #1"), "{a}");
    assert!(b.contains("Ticket #1"), "{b}");
    assert_eq!(bot.sandbox_tickets().await.len(), 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn status_and_list_show_the_labels_and_meanings() {
    let bot = Bot::start().await;
    let user = alice();
    let (id, _) = open_ticket(&bot, &user, 4, "TLS handshake fails").await;
    open_ticket(&bot, &user, 3, "Invoice twice").await;
    bot.sandbox_set_status(id, 2).await;

    let (_, status) = run(&bot, &user, "status", ticket_opt(id)).await;
    let text = text_of(&status);
    assert!(text.contains("SSL / Certificates"), "{text}");
    assert!(text.contains("Resolved"), "{text}");
    assert!(
        text.contains("Marked solved by staff. Replying reopens it."),
        "{text}"
    );

    let (_, list) = run(&bot, &user, "list", json!([])).await;
    let text = text_of(&list);
    assert!(text.contains(&format!("#{id}")), "{text}");
    assert!(
        text.contains("Billing") && text.contains("SSL / Certificates"),
        "{text}"
    );
    // Newest first: the Resolved one was updated last.
    let first = text.find(&format!("#{id}")).unwrap();
    let second = text.find("Invoice twice").unwrap();
    assert!(first < second, "{text}");

    let (_, only_resolved) = run(
        &bot,
        &user,
        "list",
        json!([{"type": 4, "name": "status", "value": 2}]),
    )
    .await;
    let text = text_of(&only_resolved);
    assert!(
        text.contains("TLS handshake") && !text.contains("Invoice twice"),
        "{text}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn replies_store_messages_reopen_resolved_tickets_and_closed_ones_are_refused() {
    let bot = Bot::start().await;
    let user = alice();
    let (id, _) = open_ticket(&bot, &user, 0, "Help").await;

    // Open: the reply is stored.
    let slash = bot.command(&user, "reply", ticket_opt(id));
    let modal = bot.callback(&slash).await;
    assert_eq!(modal["type"], 9, "{modal}");
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&user, &cid, &[("body", "More detail")]);
    let done = text_of(&bot.final_message(&sub, 10).await);
    assert!(done.contains(&format!("ticket #{id}")), "{done}");
    assert_eq!(bot.sandbox_messages(id).await.len(), 2);

    // Resolved: the modal says replying reopens it, and afterwards it is Open.
    bot.sandbox_set_status(id, 2).await;
    let slash = bot.command(&user, "reply", ticket_opt(id));
    let modal = bot.callback(&slash).await;
    assert!(
        modal["data"]["title"].as_str().unwrap().contains("reopens"),
        "{modal}"
    );
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&user, &cid, &[("body", "Still broken")]);
    let done = text_of(&bot.final_message(&sub, 10).await);
    assert!(done.contains("Open again"), "{done}");
    let t = bot.sandbox_tickets().await;
    assert_eq!(t[0]["status"], 0, "reopened");

    // Closed: refused before any modal, nothing reaches the API.
    let r = bot
        .api
        .post(bot.sandbox_url(&format!("v1/tickets/{id}/close")))
        .bearer_auth(crate::harness::ADMIN)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let before = bot.sandbox_messages(id).await.len();
    let slash = bot.command(&user, "reply", ticket_opt(id));
    let answer = bot.callback(&slash).await;
    assert_ne!(answer["type"], 9, "no modal for a Closed ticket: {answer}");
    let text = text_of(&answer);
    assert!(text.contains("Closed"), "{text}");
    assert_eq!(
        answer["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL
    );
    assert_eq!(bot.sandbox_messages(id).await.len(), before);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn close_asks_first_keep_open_changes_nothing_and_close_is_final() {
    let bot = Bot::start().await;
    let user = alice();
    let (id, _) = open_ticket(&bot, &user, 5, "Slow site").await;

    let (_, confirm) = run(&bot, &user, "close", ticket_opt(id)).await;
    assert!(text_of(&confirm).contains("final"), "{}", text_of(&confirm));
    let btns = buttons(&confirm);
    let keep = btns
        .iter()
        .find(|(l, _)| l == "Keep open")
        .unwrap()
        .1
        .clone();
    let close = btns
        .iter()
        .find(|(l, _)| l == "Close ticket")
        .unwrap()
        .1
        .clone();

    let press = bot.press(&user, &keep, true);
    let answer = bot.callback(&press).await;
    assert_eq!(answer["type"], 7, "updates the message: {answer}");
    assert_eq!(bot.sandbox_tickets().await[0]["status"], 0);

    let press = bot.press(&user, &close, true);
    assert_eq!(bot.callback(&press).await["type"], 6);
    let done = text_of(&bot.final_message(&press, 10).await);
    assert!(done.contains("Closed"), "{done}");
    assert_eq!(bot.sandbox_tickets().await[0]["status"], 3);

    let slash = bot.command(&user, "reply", ticket_opt(id));
    let refused = bot.callback(&slash).await;
    assert_ne!(refused["type"], 9);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn another_user_cannot_see_reply_to_or_close_a_ticket_and_learns_nothing() {
    let bot = Bot::start().await;
    let (id, _) = open_ticket(&bot, &alice(), 0, "Alice's private subject").await;
    let b = bob();

    for sub in ["status", "close"] {
        let (_, msg) = run(&bot, &b, sub, ticket_opt(id)).await;
        let text = text_of(&msg);
        assert!(text.contains("can't find"), "{sub}: {text}");
        assert!(!text.contains("Alice"), "{sub}: {text}");
    }
    let (_, missing) = run(&bot, &b, "status", ticket_opt(9999)).await;
    let (_, theirs) = run(&bot, &b, "status", ticket_opt(id)).await;
    assert_eq!(
        text_of(&missing).replace("9999", "N"),
        text_of(&theirs).replace(&id.to_string(), "N"),
        "an existing ticket of someone else reads exactly like a missing one"
    );

    let slash = bot.command(&b, "reply", ticket_opt(id));
    let refused = bot.callback(&slash).await;
    assert_ne!(refused["type"], 9);
    assert!(!text_of(&refused).contains("Alice"));

    // Autocomplete offers Bob none of Alice's tickets.
    let ac = bot.autocomplete(&b, "status", "ticket", "", 3);
    let choices = bot.callback(&ac).await;
    assert_eq!(choices["type"], 8);
    assert_eq!(
        choices["data"]["choices"].as_array().map_or(0, Vec::len),
        0,
        "{choices}"
    );
    let ac = bot.autocomplete(&alice(), "status", "ticket", "", 3);
    let choices = bot.callback(&ac).await;
    assert_eq!(
        choices["data"]["choices"][0]["value"],
        id.to_string(),
        "{choices}"
    );

    // A forged Close button for Alice's ticket pressed by Bob changes nothing.
    let press = bot.press(&b, &format!("t:close:{id}"), true);
    bot.callback(&press).await;
    let text = text_of(&bot.final_message(&press, 10).await);
    assert!(text.contains("can't find"), "{text}");
    assert_eq!(bot.sandbox_tickets().await[0]["status"], 0);
    assert_eq!(bot.sandbox_messages(id).await.len(), 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_button_sent_before_a_restart_still_works_after_it() {
    let mut bot = Bot::start().await;
    let user = alice();
    let (id, _) = open_ticket(&bot, &user, 2, "Cache rule").await;
    let (_, confirm) = run(&bot, &user, "close", ticket_opt(id)).await;
    let close = buttons(&confirm)
        .into_iter()
        .find(|(l, _)| l == "Close ticket")
        .unwrap()
        .1;
    assert_eq!(bot.stop(), Some(0));
    bot.spawn().await;
    let press = bot.press(&user, &close, true);
    assert_eq!(bot.callback(&press).await["type"], 6);
    let text = text_of(&bot.final_message(&press, 10).await);
    assert!(text.contains("Closed"), "{text}");
    assert_eq!(bot.sandbox_tickets().await[0]["status"], 3);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn hostile_subjects_are_shown_inert_and_ping_nobody() {
    let bot = Bot::start().await;
    let user = alice();
    let hostile = "@everyone <@&1> **bold** [x](http://evil)";
    let (id, card) = open_ticket(&bot, &user, 0, hostile).await;
    run(&bot, &user, "status", ticket_opt(id)).await;
    run(&bot, &user, "list", json!([])).await;
    assert!(text_of(&card).contains("bold"));

    let all: Vec<Value> = bot
        .fake
        .recorded()
        .into_iter()
        .filter(|r| r.method != "PUT" && r.body.is_object())
        .map(|r| r.body)
        .collect();
    assert!(all.len() >= 5);
    for body in &all {
        let msg = if body.get("data").is_some() {
            &body["data"]
        } else {
            body
        };
        let text = text_of(msg);
        assert!(!text.contains("@everyone"), "{text}");
        assert!(!text.contains("<@&1>"), "{text}");
        assert!(!text.contains("[x](http"), "{text}");
        assert!(!text.contains("**bold**"), "{text}");
        // Allowed mentions: parse nothing, wherever a message is sent.
        if msg.get("content").is_some() || msg.get("embeds").is_some() {
            let am = &msg["allowed_mentions"];
            assert!(am.is_object(), "no allowed_mentions on {msg}");
            assert_eq!(am["parse"].as_array().map_or(0, Vec::len), 0, "{am}");
        }
    }
    bot.assert_no_schema_errors();
}

/// The bot on "Paradarum" (a sandbox behind a proxy that can be slowed or stopped), with
/// Alice linked through `/ticket link`.
async fn bot_on_remote_api() -> (Bot, crate::harness::ApiProxy, tempfile::TempDir, String) {
    use crate::harness::{external_sandbox, ApiProxy, ADMIN};
    let (port, dir) = external_sandbox().await;
    let proxy = ApiProxy::start(format!("http://127.0.0.1:{port}")).await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut bot =
        Bot::start_with(&[("PARADARUM_API_URL", &proxy.url), ("BOT_SECRET_KEY", &key)]).await;
    bot.sandbox_port = port;
    let acc: Value = bot
        .api
        .post(bot.sandbox_url("v1/sandbox/accounts"))
        .bearer_auth(ADMIN)
        .json(&json!({"name": "Acme **Corp**"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = acc["token"].as_str().unwrap().to_string();
    (bot, proxy, dir, token)
}

async fn link(bot: &Bot, user: &User, token: &str) -> String {
    let slash = bot.command(user, "link", json!([]));
    let modal = bot.callback(&slash).await;
    assert_eq!(modal["type"], 9, "{modal}");
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(user, &cid, &[("token", token)]);
    text_of(&bot.final_message(&sub, 10).await)
}

#[tokio::test]
async fn linking_verifies_the_token_stores_it_encrypted_and_unlink_forgets_it() {
    let (bot, _proxy, _dir, token) = bot_on_remote_api().await;
    let user = alice();
    let (_, msg) = run(&bot, &user, "list", json!([])).await;
    assert!(text_of(&msg).contains("/ticket link"), "{}", text_of(&msg));

    let refused = link(&bot, &user, "sbx_cus_not_a_real_token").await;
    assert!(refused.contains("did not accept"), "{refused}");
    let linked = link(&bot, &user, &token).await;
    assert!(linked.contains("Acme \\*\\*Corp\\*\\*"), "{linked}");

    let (id, _) = open_ticket(&bot, &user, 3, "Invoice").await;
    assert_eq!(bot.sandbox_tickets().await[0]["id"], id);

    // The token is nowhere in the log, the Discord traffic, or the database file in clear.
    assert!(!bot.log().contains(&token));
    assert!(!bot
        .fake
        .recorded()
        .iter()
        .any(|r| r.body.to_string().contains(&token)));
    let db = std::fs::read(bot.dir.path().join("data/paradarum-bot.db")).unwrap_or_default();
    let wal = std::fs::read(bot.dir.path().join("data/paradarum-bot.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()));
    }

    let (_, msg) = run(&bot, &user, "unlink", json!([])).await;
    assert!(text_of(&msg).contains("Unlinked"));
    let (_, msg) = run(&bot, &user, "status", ticket_opt(id)).await;
    assert!(text_of(&msg).contains("/ticket link"), "{}", text_of(&msg));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn when_the_api_is_down_or_slow_every_command_answers_in_time_and_nothing_is_half_done() {
    use crate::harness::ProxyMode;
    let (bot, proxy, _dir, token) = bot_on_remote_api().await;
    let user = alice();
    link(&bot, &user, &token).await;
    let (id, _) = open_ticket(&bot, &user, 0, "Before the outage").await;

    proxy.set(ProxyMode::Down);
    for (sub, opts) in [
        ("status", ticket_opt(id)),
        ("list", json!([])),
        ("close", ticket_opt(id)),
    ] {
        let sent = bot.command(&user, sub, opts);
        let took = bot.callback_latency(&sent).await;
        assert!(took < Duration::from_secs(3), "{sub}: {took:?}");
        let first = bot.callback(&sent).await;
        assert_eq!(first["type"], 5, "{sub}: {first}");
        let text = text_of(&bot.final_message(&sent, 10).await);
        assert!(
            text.contains("Nothing was changed") && text.contains("ref"),
            "{sub}: {text}"
        );
    }
    // Opening: the form still opens, and the submit says nothing was made.
    let slash = bot.command(
        &user,
        "open",
        json!([{"type": 4, "name": "topic", "value": 1}]),
    );
    let modal = bot.callback(&slash).await;
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let started = Instant::now();
    let sub = bot.submit_modal(
        &user,
        &cid,
        &[("subject", "During"), ("description", "outage")],
    );
    bot.callback(&sub).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    // A 503 came back after the request was sent: it may have been made, so the bot
    // does not say "nothing was changed"; the kept form can be resent safely.
    let failed = bot.final_message(&sub, 30).await;
    let text = text_of(&failed);
    assert!(text.contains("can't tell whether"), "{text}");
    assert!(!text.contains("Nothing was changed"), "{text}");
    let retry = buttons(&failed)
        .into_iter()
        .find(|(l, _)| l == "Try again")
        .expect("a Try again button")
        .1;
    // Replying: the pre-check cannot reach the API, so the form opens; its submit fails
    // cleanly.
    let slash = bot.command(&user, "reply", ticket_opt(id));
    let started = Instant::now();
    let modal = bot.callback(&slash).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(modal["type"], 9);

    proxy.set(ProxyMode::Slow(Duration::from_secs(10)));
    let started = Instant::now();
    let sent = bot.command(&user, "status", ticket_opt(id));
    bot.callback(&sent).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    let text = text_of(&bot.final_message(&sent, 10).await);
    assert!(text.contains("not available right now"), "{text}");
    // Autocomplete cannot be deferred: it answers an empty list in time.
    let started = Instant::now();
    let ac = bot.autocomplete(&user, "status", "ticket", "", 3);
    let choices = bot.callback(&ac).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(choices["data"]["choices"].as_array().map_or(0, Vec::len), 0);

    proxy.set(ProxyMode::Pass);
    let tickets = bot.sandbox_tickets().await;
    assert_eq!(tickets.len(), 1, "no ticket was half-made");
    // Try again, once the API is back: the form is resent under the same key, twice
    // over, and makes one ticket.
    for _ in 0..2 {
        let press = bot.press(&user, &retry, true);
        assert_eq!(bot.callback(&press).await["type"], 6);
        let text = text_of(&bot.final_message(&press, 10).await);
        assert!(text.contains("is open"), "{text}");
    }
    let tickets = bot.sandbox_tickets().await;
    assert_eq!(tickets.len(), 2, "Try again made exactly one ticket");
    assert_eq!(
        tickets[0]["status"], 0,
        "the close during the outage did not happen"
    );
    assert_eq!(bot.sandbox_messages(id).await.len(), 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_bot_registers_one_ticket_command_in_its_guild_with_the_six_topics() {
    let bot = Bot::start().await;
    let puts: Vec<_> = bot
        .fake
        .recorded()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1, "{:?}", bot.paths());
    assert!(
        puts[0].path.ends_with(&format!(
            "/guilds/{}/commands",
            crate::fake_discord::GUILD_ID
        )),
        "registered in the guild: {}",
        puts[0].path
    );
    let cmds = puts[0].body.as_array().unwrap();
    let names: Vec<&str> = cmds.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["ticket", "sandbox", "Open ticket from message"],
        "on the sandbox, /sandbox too"
    );
    let open = cmds[0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "open")
        .unwrap();
    let labels: Vec<(&str, i64)> = open["options"][0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["value"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        labels,
        [
            ("General", 0),
            ("Networking", 1),
            ("Rules", 2),
            ("Billing", 3),
            ("SSL / Certificates", 4),
            ("Performance", 5)
        ]
    );
    assert!(!puts[0].body.to_string().to_lowercase().contains("priority"));
    bot.assert_no_schema_errors();
}

/// Serves one file over HTTP on loopback, standing in for Discord's CDN.
async fn cdn(bytes: Vec<u8>) -> String {
    let app = axum::Router::new().route(
        "/attachments/1/2/{name}",
        axum::routing::get(move || {
            let b = bytes.clone();
            async move { ([("content-type", "image/png")], b) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/attachments/1/2")
}

fn attachment(id: u64, url: &str, size: u64) -> Value {
    json!({"attachments": {id.to_string(): {
        "id": id.to_string(), "filename": "screenshot.png", "size": size, "url": url,
        "proxy_url": url, "content_type": "image/png", "ephemeral": true
    }}})
}

#[tokio::test]
async fn a_reply_carries_an_attachment_from_the_allowed_cdn_and_others_are_refused() {
    let base = cdn(vec![7u8; 3000]).await;
    let bot = Bot::start_with(&[("ATTACHMENT_HOSTS", "127.0.0.1")]).await;
    let user = alice();
    let (id, _) = open_ticket(&bot, &user, 5, "Slow").await;

    let url = format!("{base}/screenshot.png");
    let opts = json!([
        {"type": 3, "name": "ticket", "value": id.to_string()},
        {"type": 11, "name": "attachment", "value": "55"}
    ]);
    let slash = bot.command_with(
        &user,
        "reply",
        opts.clone(),
        Some(attachment(55, &url, 3000)),
    );
    let modal = bot.callback(&slash).await;
    assert_eq!(modal["type"], 9, "{modal}\n{}", bot.log());
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&user, &cid, &[("body", "see attached")]);
    let done = text_of(&bot.final_message(&sub, 10).await);
    assert!(done.contains("1 attachment"), "{done}");
    let msgs = bot.sandbox_messages(id).await;
    let last = msgs.last().unwrap();
    assert_eq!(last["body"], "see attached");
    assert_eq!(last["attachments"][0]["filename"], "screenshot.png");
    assert_eq!(last["attachments"][0]["size"], 3000);

    // A host off the allow-list is refused before any form, and nothing is sent.
    let opts = json!([
        {"type": 3, "name": "ticket", "value": id.to_string()},
        {"type": 11, "name": "attachment", "value": "56"}
    ]);
    let evil = "https://evil.example/x.png";
    let slash = bot.command_with(&user, "reply", opts, Some(attachment(56, evil, 10)));
    let refused = bot.callback(&slash).await;
    assert_ne!(refused["type"], 9);
    assert!(
        text_of(&refused).contains("cannot be forwarded"),
        "{refused}"
    );
    assert_eq!(bot.sandbox_messages(id).await.len(), 2);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn opening_again_within_the_cooldown_says_how_long_to_wait() {
    let bot = Bot::start_with(&[("PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS", "60")]).await;
    let user = alice();
    open_ticket(&bot, &user, 0, "First").await;
    let slash = bot.command(
        &user,
        "open",
        json!([{"type": 4, "name": "topic", "value": 0}]),
    );
    let answer = bot.callback(&slash).await;
    assert_eq!(answer["type"], 4, "{answer}");
    let text = text_of(&answer);
    assert!(
        text.contains("You can open another in") && text.contains(" s."),
        "{text}"
    );
    // Someone else is not held up.
    open_ticket(&bot, &bob(), 0, "Bob's").await;
    assert_eq!(bot.sandbox_tickets().await.len(), 2);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn two_open_forms_side_by_side_make_one_ticket_not_two() {
    let bot = Bot::start_with(&[("PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS", "60")]).await;
    let user = alice();
    let slash = |_: u8| {
        bot.command(
            &user,
            "open",
            json!([{"type": 4, "name": "topic", "value": 0}]),
        )
    };
    // The first form is shown; a second /ticket open before submitting is refused.
    let first = slash(0);
    let modal = bot.callback(&first).await;
    assert_eq!(modal["type"], 9, "{modal}");
    let second = slash(1);
    let refused = bot.callback(&second).await;
    assert_eq!(refused["type"], 4, "no second form: {refused}");
    assert!(
        text_of(&refused).contains("You can open another in"),
        "{refused}"
    );
    // The first form still opens its ticket.
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&user, &cid, &[("subject", "One"), ("description", "d")]);
    let card = text_of(&bot.final_message(&sub, 10).await);
    assert!(card.contains("is open"), "{card}");
    assert_eq!(bot.sandbox_tickets().await.len(), 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn property_autocomplete_lists_the_users_properties_filtered_by_what_is_typed() {
    let bot = Bot::start().await;
    let user = alice();
    let ac = bot.autocomplete(&user, "open", "property", "", 3);
    let all = bot.callback(&ac).await;
    assert_eq!(all["type"], 8);
    let names: Vec<String> = all["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{all}");
    let ac = bot.autocomplete(&user, "open", "property", "shop", 3);
    let some = bot.callback(&ac).await;
    let choices = some["data"]["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 1, "{some}");
    assert!(choices[0]["name"].as_str().unwrap().starts_with("shop."));
    let prop = choices[0]["value"].as_str().unwrap().to_string();

    // The chosen property is on the ticket.
    let slash = bot.command(
        &user,
        "open",
        json!([{"type": 4, "name": "topic", "value": 1}, {"type": 3, "name": "property", "value": prop}]),
    );
    let modal = bot.callback(&slash).await;
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(
        &user,
        &cid,
        &[("subject", "DNS"), ("description", "NXDOMAIN")],
    );
    let card = text_of(&bot.final_message(&sub, 10).await);
    assert!(card.contains("shop."), "{card}");
    assert_eq!(bot.sandbox_tickets().await[0]["propertyId"], prop);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_list_pages_with_buttons() {
    let bot = Bot::start().await;
    let user = alice();
    for i in 0..12 {
        open_ticket(&bot, &user, 0, &format!("Ticket number {i:02}")).await;
    }
    let (_, first) = run(&bot, &user, "list", json!([])).await;
    let text = text_of(&first);
    assert!(
        text.contains("number 11") && !text.contains("number 01"),
        "{text}"
    );
    let next = buttons(&first)
        .into_iter()
        .find(|(l, _)| l == "Next page")
        .expect("a Next page button")
        .1;
    let press = bot.press(&user, &next, true);
    assert_eq!(bot.callback(&press).await["type"], 6);
    let page2 = bot.final_message(&press, 10).await;
    let text = text_of(&page2);
    assert!(
        text.contains("number 01") && text.contains("number 00"),
        "{text}"
    );
    assert!(!text.contains("number 11"), "{text}");
    assert!(text.contains("Page 2"));
    assert!(buttons(&page2).iter().any(|(l, _)| l == "First page"));
    assert!(!buttons(&page2).iter().any(|(l, _)| l == "Next page"));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_gateway_that_stays_down_makes_the_bot_exit_non_zero_for_its_supervisor() {
    let mut bot = Bot::start_with(&[("PARADARUM_BOT__DISCORD__GATEWAY_STALL_SECS", "10")]).await;
    // Ready while connected.
    let deadline = Instant::now() + Duration::from_secs(10);
    while bot.readyz().await.0 != 200 {
        assert!(Instant::now() < deadline, "never ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bot.fake
        .inner
        .refuse_gateway
        .store(true, std::sync::atomic::Ordering::SeqCst);
    bot.fake.drop_gateway();
    // Not ready while the gateway is down…
    let deadline = Instant::now() + Duration::from_secs(8);
    loop {
        let (status, body) = bot.readyz().await;
        if status == 503 {
            assert_eq!(body["gateway"], "disconnected");
            break;
        }
        assert!(Instant::now() < deadline, "readyz still says ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // …and after the configured bound the process exits non-zero.
    let code = bot.wait_exit(Duration::from_secs(40)).await;
    assert_eq!(code, Some(1), "log:\n{}", bot.log());
    assert!(bot.log().contains("gateway"), "{}", bot.log());
}

/// A separate `paradarum-bot sandbox` (here one in this process) with its admin token
/// works like the embedded one: a first-time user opens a ticket with no `/ticket link`,
/// and `/sandbox` is offered in the guild. A wrong admin token is refused by the API and
/// ignored: users are asked to link.
#[tokio::test]
async fn a_separate_sandbox_taken_with_its_admin_token_works_like_the_embedded_one() {
    use crate::harness::{external_sandbox, ADMIN};
    let (port, _dir) = external_sandbox().await;
    let url = format!("http://127.0.0.1:{port}");
    let key = paradarum_bot::config::SecretKey::generate_text();
    let env = |admin: &'static str| {
        [
            ("PARADARUM_API_URL", url.clone()),
            ("BOT_SECRET_KEY", key.clone()),
            ("SANDBOX_ADMIN_TOKEN", admin.to_string()),
        ]
    };
    let pairs = env(ADMIN);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut bot = Bot::start_with(&pairs).await;
    bot.sandbox_port = port;
    assert!(bot.log().contains("external SANDBOX"), "{}", bot.log());
    let (id, _) = open_ticket(&bot, &alice(), 4, "Certificate expired").await;
    let tickets = bot.sandbox_tickets().await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["id"], id);
    assert_eq!(tickets[0]["topic"], 4);
    let registered = bot.fake.recorded();
    let sandbox_cmd = registered.iter().any(|r| {
        r.method == "PUT"
            && r.path.contains("/guilds/")
            && r.body
                .as_array()
                .is_some_and(|cmds| cmds.iter().any(|c| c["name"] == "sandbox"))
    });
    assert!(sandbox_cmd, "/sandbox registered in the guild");
    bot.assert_no_schema_errors();
    drop(bot);

    let pairs = env("not-the-admin-token");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bot = Bot::start_with(&pairs).await;
    assert!(bot.log().contains("ignored"), "{}", bot.log());
    assert!(!bot.log().contains("not-the-admin-token"));
    let (_, msg) = run(&bot, &bob(), "list", json!([])).await;
    assert!(text_of(&msg).contains("/ticket link"), "{}", text_of(&msg));
}
