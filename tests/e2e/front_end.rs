//! The front end as a careless or hostile user and an operator would try it (issue #10):
//! `/sandbox` only in `DISCORD_GUILD_ID`, unknown outcomes said as such (and retried only
//! under the same key), the DM's close button asking first and checking the presser, the
//! reply form's deadline counted from the interaction's creation, and attachments fetched
//! only for the ticket's owner and a few at a time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::fake_discord::{APP_ID, GUILD_ID};
use crate::harness::{
    alice, bob, buttons, external_sandbox, text_of, ApiProxy, Bot, ProxyMode, Sent, User,
};

const EPHEMERAL: u64 = 64;

fn ticket_opt(id: u64) -> Value {
    json!([{"type": 3, "name": "ticket", "value": id.to_string()}])
}

fn flags(v: &Value) -> u64 {
    v["data"]["flags"].as_u64().unwrap_or(0)
}

/// Runs a command already dispatched and returns the message that answered it (the
/// initial response when it is a message, else the deferral's final message).
async fn answer_of(bot: &Bot, sent: &Sent) -> Value {
    let first = bot.callback(sent).await;
    if first["type"] == 4 {
        return first["data"].clone();
    }
    assert_eq!(first["type"], 5, "{first}");
    assert_eq!(
        flags(&first) & EPHEMERAL,
        EPHEMERAL,
        "deferral is ephemeral"
    );
    bot.final_message(sent, 15).await
}

/// `/ticket <sub>` as `user`; the message that answered it.
async fn run(bot: &Bot, user: &User, sub: &str, options: Value) -> Value {
    let sent = bot.command(user, sub, options);
    answer_of(bot, &sent).await
}

/// The custom id of the button labelled `label`.
fn button(msg: &Value, label: &str) -> Option<String> {
    buttons(msg)
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|(_, id)| id)
}

/// The bot on "Paradarum": a sandbox of its own behind a proxy that can be slowed,
/// failed, or made to fail after forwarding. Nobody is linked yet.
async fn remote(env: &[(&str, &str)]) -> (Bot, ApiProxy, tempfile::TempDir) {
    let (port, dir) = external_sandbox().await;
    let proxy = ApiProxy::start(format!("http://127.0.0.1:{port}")).await;
    let key = paradarum_bot::config::SecretKey::generate_text();
    let mut all = vec![
        ("PARADARUM_API_URL", proxy.url.as_str()),
        ("BOT_SECRET_KEY", &key),
    ];
    all.extend_from_slice(env);
    let mut bot = Bot::start_with(&all).await;
    bot.sandbox_port = port;
    (bot, proxy, dir)
}

/// `/ticket link` with `token`, which must be accepted.
async fn link(bot: &Bot, user: &User, token: &str) {
    let slash = bot.command(user, "link", json!([]));
    let modal = bot.callback(&slash).await;
    assert_eq!(modal["type"], 9, "{modal}");
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(user, &cid, &[("token", token)]);
    let text = text_of(&bot.final_message(&sub, 10).await);
    assert!(text.contains("Linked"), "{text}");
}

async fn ticket_status(bot: &Bot, id: u64) -> Value {
    bot.sandbox_tickets()
        .await
        .into_iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no ticket #{id}"))["status"]
        .clone()
}

/// `/ticket reply` → form → submit `body`; the submit (its final message is the answer).
async fn reply_via_form(bot: &Bot, user: &User, id: u64, body: &str) -> Sent {
    let slash = bot.command(user, "reply", ticket_opt(id));
    let form = bot.callback(&slash).await;
    assert_eq!(form["type"], 9, "a form: {form}");
    let cid = form["data"]["custom_id"].as_str().unwrap().to_string();
    bot.submit_modal(user, &cid, &[("body", body)])
}

// ---- 1. /sandbox only in DISCORD_GUILD_ID ---------------------------------------------

fn admin_of_any_server() -> User {
    User {
        id: 400_000_000_000_000_077,
        name: "mallory",
        roles: vec![],
        admin: true,
    }
}

/// Command registrations the fake accepted: (path, names).
fn registrations(bot: &Bot) -> Vec<(String, Vec<String>)> {
    bot.fake
        .recorded()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/commands") && r.status == 200)
        .map(|r| {
            let names = r
                .body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect();
            (r.path, names)
        })
        .collect()
}

#[tokio::test]
async fn sandbox_is_a_guild_command_of_discord_guild_id_only_and_refused_from_other_servers() {
    let bot = Bot::start().await;
    let global = format!("/applications/{APP_ID}/commands");
    let in_guild = format!("/applications/{APP_ID}/guilds/{GUILD_ID}/commands");
    let regs = registrations(&bot);
    assert!(
        regs.iter()
            .any(|(p, names)| *p == in_guild && names.iter().any(|n| n == "sandbox")),
        "/sandbox registered in DISCORD_GUILD_ID: {regs:?}"
    );
    assert!(
        !regs
            .iter()
            .any(|(p, names)| *p == global && names.iter().any(|n| n == "sandbox")),
        "/sandbox never global: {regs:?}"
    );

    let (id, _) = bot.open_via_discord(&alice(), 0, "Please resolve me").await;
    let admin = admin_of_any_server();
    // The administrator of another server the (public) bot was invited to.
    let elsewhere = bot.command_in_guild(
        &admin,
        900_000_000_000_000_099,
        "sandbox",
        "resolve",
        ticket_opt(id),
    );
    let refused = text_of(&answer_of(&bot, &elsewhere).await);
    assert!(
        refused.contains("only in the server set as DISCORD_GUILD_ID"),
        "{refused}"
    );
    assert_eq!(ticket_status(&bot, id).await, 0, "still Open");

    // The same administrator in DISCORD_GUILD_ID may.
    let here = bot.command_named(&admin, "sandbox", "resolve", ticket_opt(id));
    let done = text_of(&answer_of(&bot, &here).await);
    assert!(
        done.contains(&format!("Ticket #{id} is now Resolved")),
        "{done}"
    );
    assert_eq!(ticket_status(&bot, id).await, 2, "Resolved");
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn without_discord_guild_id_sandbox_is_not_registered_and_check_config_says_why() {
    let bot = Bot::start_without(&["DISCORD_GUILD_ID"], &[]).await;
    let regs = registrations(&bot);
    assert_eq!(regs.len(), 1, "{regs:?}");
    let (path, names) = &regs[0];
    assert_eq!(*path, format!("/applications/{APP_ID}/commands"), "global");
    assert_eq!(
        *names,
        ["ticket", "Open ticket from message"],
        "no /sandbox without DISCORD_GUILD_ID"
    );

    let cmd = bot.binary("check-config");
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = cmd;
        cmd.output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let all = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "a warning, not a problem:\n{all}");
    let warnings = stdout
        .split("warnings:")
        .nth(1)
        .unwrap_or_else(|| panic!("no warnings in:\n{all}"));
    assert!(
        warnings
            .lines()
            .any(|l| l.contains("DISCORD_GUILD_ID") && l.contains("/sandbox")),
        "a warning naming DISCORD_GUILD_ID and /sandbox:\n{all}"
    );
    bot.assert_no_schema_errors();
}

// ---- 2. Unknown outcomes --------------------------------------------------------------

#[tokio::test]
async fn a_reply_with_an_unknown_outcome_says_so_and_offers_no_blind_retry_without_the_extension() {
    let (bot, proxy, _dir) = remote(&[]).await;
    // An API that announces no extensions (an older one, without /v1/meta).
    proxy.fail("/v1/meta", 404);
    let user = alice();
    link(&bot, &user, &bot.sandbox_customer("Acme").await).await;
    let (id, _) = bot
        .open_via_discord(&user, 0, "Before the proxy broke")
        .await;
    let before = bot.sandbox_messages(id).await.len();

    // The reply reaches the API, which stores it; the proxy then answers 502.
    let path = format!("/v1/tickets/{id}/messages");
    proxy.fail_after_forward(&path, 502);
    let sub = reply_via_form(&bot, &user, id, "Did this arrive?").await;
    let ack = bot.callback(&sub).await;
    assert_eq!(ack["type"], 5, "{ack}");
    let answer = bot.final_message(&sub, 15).await;
    let text = text_of(&answer);
    assert!(text.contains("can't tell whether"), "{text}");
    assert!(!text.contains("Nothing was changed"), "{text}");
    assert!(!text.contains("Try again"), "{text}");
    assert!(buttons(&answer).is_empty(), "no blind retry: {answer}");

    let msgs = bot.sandbox_messages(id).await;
    assert_eq!(msgs.len(), before + 1, "it did go through, once");
    assert_eq!(msgs.last().unwrap()["body"], "Did this arrive?");
    let posts = proxy.seen("POST", &path);
    assert_eq!(
        posts.len(),
        1,
        "an unkeyed write is never resent: {posts:?}"
    );
    assert_eq!(
        posts[0].idempotency_key, None,
        "no key where none is announced"
    );
    bot.assert_no_schema_errors();
}

/// Needs the sandbox to announce `tickets.idempotent_writes` and honour `Idempotency-Key`
/// on replies and closes.
#[tokio::test]
async fn reply_and_close_with_unknown_outcome_offer_try_again_that_cannot_double() {
    let (bot, proxy, _dir) = remote(&[]).await;
    let meta: Value = bot
        .api
        .get(bot.sandbox_url("v1/meta"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        meta["capabilities"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c == "tickets.idempotent_writes")),
        "the sandbox announces tickets.idempotent_writes: {meta}"
    );
    let user = alice();
    link(&bot, &user, &bot.sandbox_customer("Acme").await).await;
    let (id, _) = bot.open_via_discord(&user, 0, "Flaky proxy").await;
    let before = bot.sandbox_messages(id).await.len();

    // Reply: committed, then a 502 (and again on the client's own retries).
    let path = format!("/v1/tickets/{id}/messages");
    proxy.fail_after_forward(&path, 502);
    let sub = reply_via_form(&bot, &user, id, "Exactly once, please").await;
    let failed = bot.final_message(&sub, 15).await;
    let text = text_of(&failed);
    assert!(text.contains("can't tell whether"), "{text}");
    assert!(!text.contains("Nothing was changed"), "{text}");
    let retry = button(&failed, "Try again").expect("a Try again button");
    proxy.heal_after_forward();
    for round in 0..2 {
        let press = bot.press(&user, &retry, true);
        assert_eq!(bot.callback(&press).await["type"], 6, "round {round}");
        let text = text_of(&bot.final_message(&press, 15).await);
        assert!(
            text.contains(&format!("Your reply was added to ticket #{id}")),
            "round {round}: {text}"
        );
    }
    let msgs = bot.sandbox_messages(id).await;
    assert_eq!(
        msgs.len(),
        before + 1,
        "one reply, however often it was sent"
    );
    let keys: Vec<Option<String>> = proxy
        .seen("POST", &path)
        .into_iter()
        .map(|s| s.idempotency_key)
        .collect();
    assert!(keys.len() >= 3, "{keys:?}");
    assert!(keys[0].is_some(), "{keys:?}");
    assert!(keys.iter().all(|k| *k == keys[0]), "one key: {keys:?}");

    // Close: the confirmation's Close ticket, committed, then a 502.
    let confirm = run(&bot, &user, "close", ticket_opt(id)).await;
    let closeok = button(&confirm, "Close ticket").expect("a Close ticket button");
    let close_path = format!("/v1/tickets/{id}/close");
    proxy.fail_after_forward(&close_path, 502);
    let press = bot.press(&user, &closeok, true);
    assert_eq!(bot.callback(&press).await["type"], 6);
    let failed = bot.final_message(&press, 15).await;
    let text = text_of(&failed);
    assert!(text.contains("can't tell whether"), "{text}");
    let retry = button(&failed, "Try again").expect("a Try again button");
    proxy.heal_after_forward();
    for round in 0..2 {
        let press = bot.press(&user, &retry, true);
        assert_eq!(bot.callback(&press).await["type"], 6, "round {round}");
        let text = text_of(&bot.final_message(&press, 15).await);
        assert!(
            text.contains(&format!("Ticket #{id} is now Closed")),
            "round {round}: {text}"
        );
    }
    assert_eq!(ticket_status(&bot, id).await, 3);
    let keys: Vec<Option<String>> = proxy
        .seen("POST", &close_path)
        .into_iter()
        .map(|s| s.idempotency_key)
        .collect();
    assert!(
        keys[0].is_some() && keys.iter().all(|k| *k == keys[0]),
        "{keys:?}"
    );
    bot.assert_no_schema_errors();
}

// ---- 3. The DM's close button ---------------------------------------------------------

#[tokio::test]
async fn the_dm_close_button_asks_first_and_every_dm_button_checks_who_presses() {
    const STAFF: u64 = 700_000_000_000_000_001;
    let bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let (a, b) = (alice(), bob());
    let (id, _) = bot.open_via_discord(&a, 0, "Close me carefully").await;
    bot.sandbox_set_status(id, 2).await;
    // The DM about the Resolved ticket, with its two buttons.
    let dm = bot
        .fake
        .wait_for(Duration::from_secs(15), |_| {
            bot.all_channel_messages()
                .into_iter()
                .map(|(_, m)| m)
                .find(|m| button(m, "Close ticket (final)").is_some())
        })
        .await
        .expect("a DM with a Close button");
    let close = button(&dm, "Close ticket (final)").unwrap();
    let reply = button(&dm, "Reply").unwrap();
    assert_eq!(close, format!("t:close:{id}"));
    assert_eq!(reply, format!("t:dmreply:{id}"));

    // Bob (a forged press of the DM's Reply): refused at once, no form.
    let press = bot.press(&b, &reply, false);
    let refused = bot.callback(&press).await;
    assert_eq!(refused["type"], 4, "a message, not a form: {refused}");
    assert_eq!(flags(&refused) & EPHEMERAL, EPHEMERAL);
    assert!(text_of(&refused).contains("can't find"), "{refused}");

    // Alice presses Close from the DM: it asks first.
    let press = bot.press(&a, &close, false);
    let ack = bot.callback(&press).await;
    assert_eq!(ack["type"], 5, "a new ephemeral message: {ack}");
    assert_eq!(flags(&ack) & EPHEMERAL, EPHEMERAL);
    let confirmation = bot.final_message(&press, 15).await;
    let ids: Vec<String> = buttons(&confirmation).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        ids,
        [format!("t:closeok:{id}"), format!("t:keep:{id}")],
        "{confirmation}"
    );
    assert_eq!(ticket_status(&bot, id).await, 2, "not closed by one click");

    // Bob presses the confirmation's Close (forged): refused, still not closed.
    let press = bot.press(&b, &ids[0], false);
    assert_eq!(bot.callback(&press).await["type"], 6);
    let text = text_of(&bot.final_message(&press, 15).await);
    assert!(text.contains("can't find"), "{text}");
    assert_eq!(ticket_status(&bot, id).await, 2);

    // Alice confirms: Closed.
    let press = bot.press(&a, &ids[0], false);
    assert_eq!(bot.callback(&press).await["type"], 6);
    let text = text_of(&bot.final_message(&press, 15).await);
    assert!(
        text.contains(&format!("Ticket #{id} is now Closed")),
        "{text}"
    );
    assert_eq!(ticket_status(&bot, id).await, 3);
    bot.assert_no_schema_errors();
}

// ---- 4. The reply form's deadline -------------------------------------------------------

#[tokio::test]
async fn a_reply_command_delivered_late_still_gets_its_form_in_discords_window() {
    let (bot, proxy, _dir) = remote(&[]).await;
    let user = alice();
    link(&bot, &user, &bot.sandbox_customer("Acme").await).await;
    let (id, _) = bot.open_via_discord(&user, 0, "Late delivery").await;

    proxy.set(ProxyMode::Slow(Duration::from_secs(4)));
    // Created 2.2 s ago: 0.8 s of Discord's 3 s are left when the bot receives it.
    let slash = bot.command_aged(&user, "reply", ticket_opt(id), Duration::from_millis(2200));
    let form = bot.callback(&slash).await;
    assert_eq!(form["type"], 9, "the form: {form}");
    let callbacks: Vec<u16> = bot
        .requests_for(&slash)
        .iter()
        .filter(|r| r.path.ends_with("/callback"))
        .map(|r| r.status)
        .collect();
    assert_eq!(callbacks, [204], "accepted at once, no 10062");
    assert!(
        !bot.fake
            .recorded()
            .iter()
            .any(|r| r.path.contains(&slash.token)
                && r.body.to_string().contains("Unknown interaction")),
        "no Unknown interaction"
    );

    // The form works once the API is back.
    proxy.set(ProxyMode::Pass);
    let cid = form["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&user, &cid, &[("body", "Sent late, still fine")]);
    let text = text_of(&bot.final_message(&sub, 15).await);
    assert!(text.contains("Your reply was added"), "{text}");
    assert_eq!(bot.sandbox_messages(id).await.len(), 2);
    bot.assert_no_schema_errors();
}

// ---- 5. Attachments -----------------------------------------------------------------------

/// A stand-in for Discord's CDN on loopback: `/files/{size}/{name}` serves `size` bytes
/// after holding the request `hold`; counts requests and the most served at once.
struct Cdn {
    base: String,
    requests: Arc<AtomicUsize>,
    max_active: Arc<AtomicUsize>,
}

impl Cdn {
    async fn start(hold: Duration) -> Cdn {
        #[derive(Clone)]
        struct St {
            hold: Duration,
            requests: Arc<AtomicUsize>,
            active: Arc<AtomicUsize>,
            max_active: Arc<AtomicUsize>,
        }
        async fn serve(
            axum::extract::State(st): axum::extract::State<St>,
            axum::extract::Path((size, _name)): axum::extract::Path<(usize, String)>,
        ) -> impl axum::response::IntoResponse {
            st.requests.fetch_add(1, Ordering::SeqCst);
            let now = st.active.fetch_add(1, Ordering::SeqCst) + 1;
            st.max_active.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(st.hold).await;
            st.active.fetch_sub(1, Ordering::SeqCst);
            ([("content-type", "image/png")], vec![7u8; size])
        }
        let st = St {
            hold,
            requests: Default::default(),
            active: Default::default(),
            max_active: Default::default(),
        };
        let cdn = Cdn {
            base: String::new(),
            requests: st.requests.clone(),
            max_active: st.max_active.clone(),
        };
        let app = axum::Router::new()
            .route("/files/{size}/{name}", axum::routing::get(serve))
            .with_state(st);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Cdn {
            base: format!("http://{addr}/files"),
            ..cdn
        }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// `/ticket reply ticket:id attachment:<size bytes on the CDN>` as `user`.
fn reply_with_file(bot: &Bot, cdn: &Cdn, user: &User, id: u64, size: u64) -> Sent {
    let att = 55;
    let url = format!("{}/{size}/screenshot.png", cdn.base);
    let opts = json!([
        {"type": 3, "name": "ticket", "value": id.to_string()},
        {"type": 11, "name": "attachment", "value": att.to_string()}
    ]);
    let resolved = json!({"attachments": {att.to_string(): {
        "id": att.to_string(), "filename": "screenshot.png", "size": size, "url": url,
        "proxy_url": url, "content_type": "image/png", "ephemeral": true
    }}});
    bot.command_with(user, "reply", opts, Some(resolved))
}

#[tokio::test]
async fn an_attachment_for_someone_elses_ticket_is_never_downloaded() {
    let cdn = Cdn::start(Duration::ZERO).await;
    let (bot, proxy, _dir) = remote(&[("ATTACHMENT_HOSTS", "127.0.0.1")]).await;
    let (a, b) = (alice(), bob());
    link(&bot, &a, &bot.sandbox_customer("Alice's company").await).await;
    link(&bot, &b, &bot.sandbox_customer("Bob's company").await).await;
    let (id, _) = bot.open_via_discord(&a, 0, "Alice's ticket").await;

    // The API answers in time: Bob is refused before the form.
    let slash = reply_with_file(&bot, &cdn, &b, id, 3000);
    let refused = bot.callback(&slash).await;
    assert_eq!(refused["type"], 4, "refused, no form: {refused}");
    assert!(text_of(&refused).contains("can't find"), "{refused}");
    assert_eq!(cdn.requests(), 0, "nothing fetched");

    // The API is too slow for the check before the form, so the form opens; the submit
    // checks ownership before fetching anything.
    proxy.set(ProxyMode::Slow(Duration::from_millis(2500)));
    let slash = reply_with_file(&bot, &cdn, &b, id, 3000);
    let form = bot.callback(&slash).await;
    assert_eq!(form["type"], 9, "the pre-check was skipped: {form}");
    proxy.set(ProxyMode::Pass);
    let cid = form["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&b, &cid, &[("body", "Bob's file")]);
    let text = text_of(&bot.final_message(&sub, 15).await);
    assert!(text.contains("can't find"), "{text}");
    assert_eq!(cdn.requests(), 0, "nothing fetched for Bob");
    assert_eq!(bot.sandbox_messages(id).await.len(), 1);

    // Alice's own reply with a file is fetched (the CDN is counted).
    let slash = reply_with_file(&bot, &cdn, &a, id, 3000);
    let form = bot.callback(&slash).await;
    assert_eq!(form["type"], 9, "{form}");
    let cid = form["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&a, &cid, &[("body", "Alice's file")]);
    let text = text_of(&bot.final_message(&sub, 15).await);
    assert!(text.contains("Your reply was added"), "{text}");
    assert_eq!(cdn.requests(), 1);
    let msgs = bot.sandbox_messages(id).await;
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[1]["attachments"][0]["size"], 3000);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn many_replies_with_files_at_once_download_at_most_four_at_a_time() {
    const USERS: [&str; 10] = ["u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"];
    let cdn = Cdn::start(Duration::from_millis(300)).await;
    let bot = Bot::start_with(&[("ATTACHMENT_HOSTS", "127.0.0.1")]).await;
    let users: Vec<User> = USERS
        .iter()
        .enumerate()
        .map(|(i, name)| User {
            id: 400_000_000_000_001_000 + i as u64,
            name,
            roles: vec![],
            admin: false,
        })
        .collect();
    let size = |i: usize| 1024 * 1024 + i as u64 * 100 * 1024;
    let mut tickets = Vec::new();
    for u in &users {
        tickets.push(bot.open_via_discord(u, 5, "Slow page").await.0);
    }
    // Every user has the reply form open, their file recorded.
    let mut forms = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let slash = reply_with_file(&bot, &cdn, u, tickets[i], size(i));
        let form = bot.callback(&slash).await;
        assert_eq!(form["type"], 9, "{form}");
        forms.push(form["data"]["custom_id"].as_str().unwrap().to_string());
    }
    // Everyone submits at once.
    let started = Instant::now();
    let subs: Vec<Sent> = users
        .iter()
        .zip(&forms)
        .map(|(u, cid)| bot.submit_modal(u, cid, &[("body", "see attached")]))
        .collect();
    for (i, sub) in subs.iter().enumerate() {
        let text = text_of(&bot.final_message(sub, 30).await);
        assert!(text.contains("Your reply was added"), "user {i}: {text}");
    }
    let took = started.elapsed();
    let max = cdn.max_active.load(Ordering::SeqCst);
    assert!(max <= 4, "{max} downloads at once");
    assert!(
        max >= 2,
        "the downloads overlapped, so the bound was tested: {max}"
    );
    for (i, id) in tickets.iter().enumerate() {
        let msgs = bot.sandbox_messages(*id).await;
        assert_eq!(msgs.len(), 2, "ticket {id}");
        assert_eq!(msgs[1]["attachments"][0]["size"], size(i), "ticket {id}");
    }
    assert_eq!(cdn.requests(), 10, "each file fetched once");
    // Ten 300 ms downloads, four at a time, take at least three rounds.
    assert!(took >= Duration::from_millis(900), "{took:?}");
    bot.assert_no_schema_errors();
}
