//! The front door (#14): `/ticket panel` posted, re-posted in place, refused to members
//! without Manage Server and in DMs, and used (select → form → ticket) without the panel
//! message changing; "Open ticket from message" with its prefill kept in the database
//! between its two steps (across a restart, and across a failover between replicas on
//! PostgreSQL: ignored, run with `-- --ignored`), empty and very long messages.

use std::time::Duration;

use serde_json::{json, Value};

use crate::fake_discord::{BOT_USER_ID, CHANNEL_ID, GUILD_ID};
use crate::harness::{alice, bob, interaction_base, text_of, Bot, Sent, User};

const EPHEMERAL: u64 = 64;
/// Discord's MANAGE_GUILD permission bit.
const MANAGE_GUILD: &str = "32";
const MENU: &str = "Open ticket from message";

fn manager() -> User {
    User {
        id: 400_000_000_000_000_088,
        name: "morgan",
        roles: vec![],
        admin: false,
    }
}

/// `/ticket panel` as `user` holding `permissions` in the guild, or from a DM (`None`).
fn panel_command(bot: &Bot, user: &User, permissions: Option<&str>) -> Sent {
    let guild = permissions.map(|_| GUILD_ID);
    let (sent, mut v) = interaction_base(&bot.fake, 2, user, guild, Duration::ZERO);
    if let Some(p) = permissions {
        v["member"]["permissions"] = p.into();
    }
    v["data"] = json!({
        "id": "1", "name": "ticket", "type": 1,
        "options": [{"type": 1, "name": "panel", "options": []}],
    });
    assert!(bot.fake.dispatch_interaction(v), "gateway not connected");
    sent
}

/// The ephemeral message that answered `sent` (a message, or a deferral's final edit).
async fn answer_of(bot: &Bot, sent: &Sent) -> Value {
    let first = bot.callback(sent).await;
    assert_eq!(
        first["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "ephemeral: {first}"
    );
    if first["type"] == 4 {
        return first["data"].clone();
    }
    assert_eq!(first["type"], 5, "{first}");
    bot.final_message(sent, 15).await
}

/// The panel messages the bot has in channels: (id, message as Discord has it).
fn panels(bot: &Bot) -> Vec<(u64, Value)> {
    let messages = bot.fake.inner.messages.lock().unwrap();
    let mut found: Vec<(u64, Value)> = messages
        .iter()
        .filter(|(_, (_, m))| m["components"][0]["components"][0]["custom_id"] == "t:panel")
        .map(|(id, (_, m))| (*id, m.clone()))
        .collect();
    found.sort_by_key(|(id, _)| *id);
    found
}

fn posts_to_channel(bot: &Bot) -> usize {
    let path = format!("/channels/{CHANNEL_ID}/messages");
    bot.fake
        .recorded()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .count()
}

fn edits_of(bot: &Bot, message: u64) -> usize {
    let path = format!("/channels/{CHANNEL_ID}/messages/{message}");
    bot.fake
        .recorded()
        .iter()
        .filter(|r| r.method == "PATCH" && r.path == path && r.status == 200)
        .count()
}

/// The select's options of a message: (label, value).
fn options(msg: &Value) -> Vec<(String, String)> {
    msg["components"][0]["components"][0]["options"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|o| {
            (
                o["label"].as_str().unwrap_or_default().to_string(),
                o["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn select_id(msg: &Value) -> String {
    msg["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no select in {msg}"))
        .to_string()
}

/// An ephemeral answer as Discord hands it back with a component interaction on it.
fn ephemeral_message(bot: &Bot, answer: &Value) -> Value {
    json!({
        "id": bot.fake.new_id().to_string(), "channel_id": CHANNEL_ID.to_string(),
        "author": {"id": BOT_USER_ID.to_string(), "username": "paradarum-bot", "discriminator": "0000", "avatar": null, "bot": true},
        "content": answer["content"].clone(), "timestamp": "2026-11-26T12:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0,
        "flags": 64, "components": answer["components"].clone()
    })
}

/// A message in the channel, as a message command's `resolved` carries it.
fn chat_message(bot: &Bot, content: &str) -> Value {
    json!({
        "id": bot.fake.new_id().to_string(), "channel_id": CHANNEL_ID.to_string(),
        "author": {"id": "400000000000000099", "username": "carol", "discriminator": "0", "global_name": "Carol C", "avatar": null},
        "content": content, "timestamp": "2026-11-26T12:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

/// A form's text input `field` as shown.
fn form_field(form: &Value, field: &str) -> Option<String> {
    form["data"]["components"]
        .as_array()?
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["custom_id"] == field)
        .map(|c| c["value"].as_str().unwrap_or_default().to_string())
}

/// Submits the open form `form` as `user` with `description`; the ticket id.
async fn submit_open(bot: &Bot, user: &User, form: &Value, description: &str) -> u64 {
    assert_eq!(form["type"], 9, "a form: {form}");
    let cid = form["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(
        user,
        &cid,
        &[
            ("subject", "Certificate expired"),
            ("description", description),
        ],
    );
    let text = text_of(&bot.final_message(&sub, 20).await);
    crate::harness::ticket_id_in(&text).unwrap_or_else(|| panic!("no ticket in {text}"))
}

async fn sandbox_ticket(bot: &Bot, id: u64) -> Value {
    bot.sandbox_tickets()
        .await
        .into_iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no ticket #{id}"))
}

// ---- the panel -------------------------------------------------------------------------

#[tokio::test]
async fn a_panel_is_posted_and_its_topic_select_opens_the_form_and_a_ticket_of_that_topic() {
    let bot = Bot::start().await;
    let posted = answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    assert!(text_of(&posted).contains("panel is posted"), "{posted}");
    let all = panels(&bot);
    assert_eq!(all.len(), 1, "one panel");
    let (panel_id, panel) = all[0].clone();
    assert_eq!(
        options(&panel),
        [
            ("General", "0"),
            ("Networking", "1"),
            ("Rules", "2"),
            ("Billing", "3"),
            ("SSL / Certificates", "4"),
            ("Performance", "5"),
        ]
        .map(|(l, v)| (l.to_string(), v.to_string()))
    );
    assert_eq!(
        panel["flags"], 0,
        "the panel is for everyone, not ephemeral"
    );

    // Alice (never seen before) picks SSL / Certificates: the /ticket open form.
    let pick = bot.choose(&alice(), "t:panel", "4", panel.clone(), true);
    let form = bot.callback(&pick).await;
    assert_eq!(
        form["type"], 9,
        "a form, never an update of the panel: {form}"
    );
    let cid = form["data"]["custom_id"].as_str().unwrap();
    assert_eq!(
        cid,
        format!("t:open:{}:4:-", pick.id),
        "keyed by this interaction"
    );
    assert!(form["data"]["title"]
        .as_str()
        .unwrap()
        .contains("SSL / Certificates"));
    let id = submit_open(&bot, &alice(), &form, "It expired this morning.").await;
    let ticket = sandbox_ticket(&bot, id).await;
    assert_eq!(ticket["topic"], 4, "{ticket}");

    // Used twice more: now linked, Alice has properties, so an ephemeral select comes
    // first; an unknown topic gets an ephemeral refusal. The panel message never changed.
    let again = bot.choose(&alice(), "t:panel", "1", panel.clone(), true);
    let ask = bot.callback(&again).await;
    assert_eq!(ask["type"], 4, "{ask}");
    assert_eq!(
        ask["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL
    );
    let junk = bot.choose(&alice(), "t:panel", "9", panel.clone(), true);
    let refused = bot.callback(&junk).await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert_eq!(
        refused["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL
    );
    assert_eq!(
        edits_of(&bot, panel_id),
        0,
        "the panel message was not edited"
    );
    assert_eq!(bot.fake.message(panel_id).unwrap().1, panel, "unchanged");
    assert_eq!(
        posts_to_channel(&bot),
        1,
        "nothing else posted in the channel"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_repost_updates_the_same_panel_and_a_deleted_panel_is_posted_anew_after_a_restart() {
    let mut bot = Bot::start().await;
    answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    let (first, _) = panels(&bot)[0].clone();

    // An administrator re-posts: the same message is edited, nothing new is posted.
    let admin = User {
        admin: true,
        ..manager()
    };
    let updated = answer_of(&bot, &panel_command(&bot, &admin, Some("8"))).await;
    assert!(text_of(&updated).contains("updated"), "{updated}");
    assert_eq!(edits_of(&bot, first), 1);
    assert_eq!(posts_to_channel(&bot), 1, "no second panel");
    assert_eq!(panels(&bot).len(), 1);

    // After a restart the bot still knows its panel; someone deletes it; a re-post makes
    // a new one, and the new one works.
    bot.stop();
    bot.spawn().await;
    assert!(bot.fake.delete_message(first));
    let reposted = answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    assert!(text_of(&reposted).contains("posted"), "{reposted}");
    let all = panels(&bot);
    assert_eq!(all.len(), 1, "{all:?}");
    let (second, panel) = all[0].clone();
    assert_ne!(second, first);
    assert_eq!(posts_to_channel(&bot), 2);
    let again = answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    assert!(text_of(&again).contains("updated"), "{again}");
    assert_eq!(edits_of(&bot, second), 1, "the new one is the one updated");

    let pick = bot.choose(&alice(), "t:panel", "3", panel, true);
    let form = bot.callback(&pick).await;
    let id = submit_open(&bot, &alice(), &form, "Invoice twice").await;
    assert_eq!(sandbox_ticket(&bot, id).await["topic"], 3);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_panel_is_refused_without_manage_server_and_in_dms_and_says_when_it_may_not_post() {
    let bot = Bot::start().await;
    // Manage Messages and Manage Channels are not Manage Server.
    let refused = answer_of(&bot, &panel_command(&bot, &alice(), Some("8208"))).await;
    assert!(text_of(&refused).contains("Manage Server"), "{refused}");
    let dm = answer_of(&bot, &panel_command(&bot, &manager(), None)).await;
    assert!(text_of(&dm).contains("not in a direct message"), "{dm}");
    assert_eq!(posts_to_channel(&bot), 0, "nothing posted");

    // The bot lacks Send Messages in the channel (403, 50013): said plainly, no panic.
    bot.fake
        .inner
        .missing_permissions
        .lock()
        .unwrap()
        .insert(CHANNEL_ID);
    let cannot =
        text_of(&answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await);
    assert!(
        cannot.contains("I may not post in this channel"),
        "{cannot}"
    );
    assert!(!cannot.contains("went wrong"), "{cannot}");
    assert!(panels(&bot).is_empty());
    // Fixed by the admin: it posts.
    bot.fake.inner.missing_permissions.lock().unwrap().clear();
    let posted = answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    assert!(text_of(&posted).contains("posted"), "{posted}");
    assert!(!bot.log().contains("panicked"));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_panels_form_keeps_open_s_idempotency_and_cooldown() {
    let bot = Bot::start_with(&[("PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS", "60")]).await;
    answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    let (_, panel) = panels(&bot)[0].clone();
    let pick = bot.choose(&alice(), "t:panel", "2", panel.clone(), true);
    let form = bot.callback(&pick).await;
    // The same form submitted twice (a double click, a resend): one ticket.
    let first = submit_open(&bot, &alice(), &form, "Rule 12 blocks me").await;
    let second = submit_open(&bot, &alice(), &form, "Rule 12 blocks me").await;
    assert_eq!(first, second);
    assert_eq!(bot.sandbox_tickets().await.len(), 1);
    // The cooldown of /ticket open holds on the panel too.
    let again = bot.choose(&alice(), "t:panel", "0", panel, true);
    let refused = bot.callback(&again).await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert!(
        text_of(&refused["data"]).contains("You just opened a ticket"),
        "{refused}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_panel_command_delivered_twice_posts_one_panel() {
    let bot = Bot::start().await;
    bot.fake
        .inner
        .deliver_twice
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let posted = answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    assert!(text_of(&posted).contains("posted"), "{posted}");
    // The second delivery stopped at its refused first answer (40060), before posting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(posts_to_channel(&bot), 1);
    assert_eq!(panels(&bot).len(), 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_customer_with_properties_picks_one_in_an_ephemeral_select_before_the_form() {
    let bot = Bot::start().await;
    // Alice's first ticket links her to a sandbox account with two properties.
    bot.open_via_discord(&alice(), 0, "First").await;
    answer_of(&bot, &panel_command(&bot, &manager(), Some(MANAGE_GUILD))).await;
    let (_, panel) = panels(&bot)[0].clone();

    let pick = bot.choose(&alice(), "t:panel", "1", panel, true);
    let ask = bot.callback(&pick).await;
    assert_eq!(ask["type"], 4, "an ephemeral select first: {ask}");
    assert_eq!(
        ask["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL
    );
    let props = options(&ask["data"]);
    assert_eq!(props.len(), 3, "none + two properties: {props:?}");
    let (name, prop) = props
        .iter()
        .find(|(l, _)| l.starts_with("shop."))
        .cloned()
        .unwrap();
    let step = bot.choose(
        &alice(),
        &select_id(&ask["data"]),
        &prop,
        ephemeral_message(&bot, &ask["data"]),
        true,
    );
    let form = bot.callback(&step).await;
    assert_eq!(
        form["data"]["custom_id"],
        format!("t:open:{}:1:{prop}", step.id)
    );
    let id = submit_open(&bot, &alice(), &form, "NXDOMAIN").await;
    let t = sandbox_ticket(&bot, id).await;
    assert_eq!(
        (t["topic"].clone(), t["propertyId"].clone()),
        (json!(1), json!(prop)),
        "{name}"
    );
    bot.assert_no_schema_errors();
}

// ---- "Open ticket from message" ---------------------------------------------------------

#[tokio::test]
async fn open_ticket_from_message_prefills_text_author_and_link_kept_across_a_restart() {
    let mut bot = Bot::start().await;
    let target = chat_message(
        &bot,
        "  My certificate for shop.acme expired an hour ago.  ",
    );
    let msg_id = target["id"].as_str().unwrap().to_string();
    let menu = bot.message_command(&alice(), MENU, target, true);
    let ask = answer_of(&bot, &menu).await;
    assert_eq!(select_id(&ask), format!("t:mtopic:{}", menu.id));
    assert_eq!(options(&ask).len(), 6);
    assert_eq!(options(&ask)[4].0, "SSL / Certificates");

    // The bot restarts between the two steps: the prefill is in the database.
    bot.stop();
    bot.spawn().await;
    let step = bot.choose(
        &alice(),
        &select_id(&ask),
        "4",
        ephemeral_message(&bot, &ask),
        true,
    );
    let form = bot.callback(&step).await;
    assert_eq!(form["type"], 9, "{form}");
    let description = form_field(&form, "description").unwrap();
    let link = format!("https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{msg_id}");
    assert_eq!(
        description,
        format!(
            "Message from Carol C: {link}\n\nMy certificate for shop.acme expired an hour ago."
        )
    );
    let id = submit_open(&bot, &alice(), &form, &description).await;
    let t = sandbox_ticket(&bot, id).await;
    assert_eq!(t["topic"], 4);
    let first = bot.sandbox_messages(id).await;
    assert!(
        first[0]["body"]
            .as_str()
            .unwrap_or_default()
            .contains(&link),
        "{first:?}"
    );

    // Someone else cannot use Alice's prefill (the select is hers; its id is not a key).
    let stranger = User {
        id: 400_000_000_000_000_055,
        name: "eve",
        roles: vec![],
        admin: false,
    };
    let stolen = bot.choose(
        &stranger,
        &select_id(&ask),
        "0",
        ephemeral_message(&bot, &ask),
        true,
    );
    let refused = bot.callback(&stolen).await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert!(
        text_of(&refused["data"]).contains("no longer have"),
        "{refused}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn open_ticket_from_message_handles_empty_and_very_long_messages_and_dms() {
    let bot = Bot::start().await;
    // Empty text (withheld, or an embed-only message): link and author only.
    let empty = chat_message(&bot, "");
    let empty_id = empty["id"].as_str().unwrap().to_string();
    let menu = bot.message_command(&alice(), MENU, empty, true);
    let ask = answer_of(&bot, &menu).await;
    let step = bot.choose(
        &alice(),
        &select_id(&ask),
        "0",
        ephemeral_message(&bot, &ask),
        true,
    );
    let form = bot.callback(&step).await;
    assert_eq!(
        form_field(&form, "description").unwrap(),
        format!(
            "Message from Carol C: https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{empty_id}"
        )
    );

    // 10,000 characters: trimmed to the field's 4,000, reference kept.
    let long = chat_message(&bot, &"x".repeat(10_000));
    let menu = bot.message_command(&alice(), MENU, long, true);
    let ask = answer_of(&bot, &menu).await;
    let step = bot.choose(
        &alice(),
        &select_id(&ask),
        "5",
        ephemeral_message(&bot, &ask),
        true,
    );
    let form = bot.callback(&step).await;
    let d = form_field(&form, "description").unwrap();
    assert_eq!(d.chars().count(), 4000);
    assert!(d.starts_with("Message from Carol C: https://discord.com/channels/"));
    assert!(d.ends_with("x…"));
    let id = submit_open(&bot, &alice(), &form, &d).await;
    assert_eq!(sandbox_ticket(&bot, id).await["topic"], 5);

    // In a DM with the bot the link says @me (Bob, not linked yet: the form at once).
    let dm = chat_message(&bot, "hello");
    let dm_id = dm["id"].as_str().unwrap().to_string();
    let menu = bot.message_command(&bob(), MENU, dm, false);
    let ask = answer_of(&bot, &menu).await;
    let step = bot.choose(
        &bob(),
        &select_id(&ask),
        "2",
        ephemeral_message(&bot, &ask),
        false,
    );
    let form = bot.callback(&step).await;
    assert!(form_field(&form, "description").unwrap().contains(&format!(
        "https://discord.com/channels/@me/{CHANNEL_ID}/{dm_id}"
    )));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_new_commands_are_registered_as_discord_accepts_them() {
    let bot = Bot::start().await;
    let reg = bot
        .fake
        .recorded()
        .into_iter()
        .find(|r| r.method == "PUT" && r.path.ends_with("/commands") && r.status == 200)
        .expect("registered");
    let cmds = reg.body.as_array().unwrap();
    let menu = cmds.iter().find(|c| c["name"] == MENU).expect("the menu");
    assert_eq!(menu["type"], 3, "a message command: {menu}");
    let ticket = cmds.iter().find(|c| c["name"] == "ticket").unwrap();
    let panel = ticket["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "panel")
        .expect("/ticket panel");
    assert_eq!(panel["type"], 1);
    // The fake validated the body against Discord's OpenAPI spec.
    bot.assert_no_schema_errors();
    // And the bot read Discord's answer back (a context-menu command comes back with an
    // empty description, which serenity must accept): registration succeeded on its side.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !bot.log().contains("slash commands registered") {
        let log = bot.log();
        assert!(
            !log.contains("registering slash commands failed"),
            "registration failed in the bot: {log}"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "no registration logged: {log}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The initial response to `sent` on the cluster's fake, waiting up to `secs`.
async fn cluster_callback(c: &crate::harness::cluster::Cluster, sent: &Sent, secs: u64) -> Value {
    let path = format!("/interactions/{}/{}/callback", sent.id, sent.token);
    c.fake
        .wait_for(Duration::from_secs(secs), |rs| {
            rs.iter()
                .find(|r| r.path == path && r.status == 204)
                .map(|r| r.body.clone())
        })
        .await
        .unwrap_or_else(|| panic!("no answer to {path}\n{}", c.logs()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn the_message_prefill_survives_a_failover_between_the_two_steps() {
    use crate::harness::cluster::{Cluster, Storage};
    let mut c = Cluster::start(2, Storage::Postgres, &[]).await;
    let holder = c
        .wait_holder("gateway", Duration::from_secs(20))
        .await
        .expect("a gateway holder");
    let live = |c: &Cluster| c.fake.sessions().iter().filter(|s| s.is_live()).count();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while live(&c) != 1 {
        assert!(std::time::Instant::now() < deadline, "no live session");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Step one on the holder.
    let target = json!({
        "id": c.fake.new_id().to_string(), "channel_id": CHANNEL_ID.to_string(),
        "author": {"id": "400000000000000099", "username": "carol", "discriminator": "0", "global_name": null, "avatar": null},
        "content": "Failover question", "timestamp": "2026-11-26T12:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
    });
    let target_id = target["id"].as_str().unwrap().to_string();
    let (menu, mut v) = interaction_base(&c.fake, 2, &alice(), Some(GUILD_ID), Duration::ZERO);
    v["data"] = json!({"id": "2", "name": MENU, "type": 3, "target_id": target_id,
        "resolved": {"messages": {target_id.clone(): target}}});
    assert!(c.fake.dispatch_interaction(v));
    let ask = cluster_callback(&c, &menu, 10).await;
    assert_eq!(ask["type"], 4, "{ask}");

    // The holder dies; the other replica takes the gateway and answers step two.
    let before = c.fake.sessions().len();
    c.kill(holder);
    let new = c
        .fake
        .wait_sessions(Duration::from_secs(20), |s| {
            s.iter()
                .find(|s| s.number >= before && s.is_live())
                .map(|_| ())
        })
        .await;
    assert!(new.is_some(), "no failover\n{}", c.logs());
    let (step, mut v) = interaction_base(&c.fake, 3, &alice(), Some(GUILD_ID), Duration::ZERO);
    v["data"] = json!({"custom_id": select_id(&ask["data"]), "component_type": 3, "values": ["1"]});
    v["message"] = json!({
        "id": c.fake.new_id().to_string(), "channel_id": CHANNEL_ID.to_string(),
        "author": {"id": BOT_USER_ID.to_string(), "username": "paradarum-bot", "discriminator": "0000", "avatar": null, "bot": true},
        "content": "", "timestamp": "2026-11-26T12:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 64,
        "components": ask["data"]["components"].clone()
    });
    assert!(c.fake.dispatch_interaction(v));
    let form = cluster_callback(&c, &step, 10).await;
    assert_eq!(form["type"], 9, "{form}");
    let d = form_field(&form, "description").unwrap();
    assert!(d.ends_with("\n\nFailover question"), "{d}");
    assert!(
        d.contains(&format!("/{GUILD_ID}/{CHANNEL_ID}/{target_id}")),
        "{d}"
    );
}

#[tokio::test]
async fn the_panel_speaks_the_servers_language_and_the_message_menu_the_users() {
    let bot = Bot::start().await;
    // A German server: the panel (read by everyone) in German, the API values unchanged.
    let (sent, mut v) = interaction_base(&bot.fake, 2, &manager(), Some(GUILD_ID), Duration::ZERO);
    v["member"]["permissions"] = MANAGE_GUILD.into();
    v["guild_locale"] = "de".into();
    v["data"] = json!({"id": "1", "name": "ticket", "type": 1,
        "options": [{"type": 1, "name": "panel", "options": []}]});
    assert!(bot.fake.dispatch_interaction(v));
    answer_of(&bot, &sent).await;
    let (_, panel) = panels(&bot)[0].clone();
    assert!(
        panel["content"]
            .as_str()
            .unwrap()
            .contains("Brauchst du Hilfe"),
        "{panel}"
    );
    let opts = options(&panel);
    assert_eq!(opts[0].0, "Allgemein", "{opts:?}");
    let values: Vec<&str> = opts.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(values, ["0", "1", "2", "3", "4", "5"]);

    // A Brazilian user: the menu's steps and the prefill in Portuguese.
    let target = chat_message(&bot, "O certificado expirou");
    let (menu, mut v) = interaction_base(&bot.fake, 2, &alice(), Some(GUILD_ID), Duration::ZERO);
    v["locale"] = "pt-BR".into();
    let target_id = target["id"].as_str().unwrap().to_string();
    v["data"] = json!({"id": "2", "name": MENU, "type": 3, "target_id": target_id,
        "resolved": {"messages": {target_id.clone(): target}}});
    assert!(bot.fake.dispatch_interaction(v));
    let ask = answer_of(&bot, &menu).await;
    assert!(text_of(&ask).contains("Sobre o que é o chamado?"), "{ask}");
    let (step, mut v) = interaction_base(&bot.fake, 3, &alice(), Some(GUILD_ID), Duration::ZERO);
    v["locale"] = "pt-BR".into();
    v["data"] = json!({"custom_id": select_id(&ask), "component_type": 3, "values": ["4"]});
    v["message"] = ephemeral_message(&bot, &ask);
    assert!(bot.fake.dispatch_interaction(v));
    let form = bot.callback(&step).await;
    assert_eq!(form["type"], 9, "{form}");
    let d = form_field(&form, "description").unwrap();
    assert!(
        d.starts_with("Mensagem de Carol C: https://discord.com/channels/"),
        "{d}"
    );
    assert!(d.ends_with("O certificado expirou"), "{d}");
    bot.assert_no_schema_errors();
}
