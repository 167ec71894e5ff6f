//! Community moderators move tickets to Billing or SSL, and can do nothing else.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{alice, bob, text_of, Bot, User, ADMIN};

const MOD_ROLE: u64 = 800_000_000_000_000_001;
const STAFF: u64 = 700_000_000_000_000_001;
const BILLING: u64 = 700_000_000_000_000_002;

fn moderator() -> User {
    User {
        id: 400_000_000_000_000_009,
        name: "mod",
        roles: vec![MOD_ROLE],
        admin: false,
    }
}

async fn start() -> Bot {
    Bot::start_with(&[
        ("MODERATOR_ROLE_IDS", &MOD_ROLE.to_string()),
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        (
            "PARADARUM_BOT__NOTIFICATIONS__CHANNEL_BILLING",
            &BILLING.to_string(),
        ),
    ])
    .await
}

async fn open(bot: &Bot, user: &User, topic: u8, subject: &str) -> u64 {
    bot.open_via_discord(user, topic, subject).await.0
}

async fn escalate(bot: &Bot, user: &User, ticket: u64, to: i64, reason: &str) -> String {
    let sent = bot.command(
        user,
        "escalate",
        json!([
            {"type": 3, "name": "ticket", "value": ticket.to_string()},
            {"type": 4, "name": "to", "value": to},
            {"type": 3, "name": "reason", "value": reason},
        ]),
    );
    let first = bot.callback(&sent).await;
    if first["type"] == 4 {
        return text_of(&first["data"]);
    }
    text_of(&bot.final_message(&sent, 10).await)
}

async fn topic_events(bot: &Bot) -> Vec<Value> {
    bot.sandbox_items("v1/events?limit=100")
        .await
        .into_iter()
        .filter(|e| e["type"] == "ticket.topic_changed")
        .collect()
}

#[tokio::test]
async fn a_moderator_moves_a_general_ticket_to_billing_and_staff_and_owner_hear_of_it() {
    let bot = start().await;
    let id = open(&bot, &alice(), 0, "Invoice is wrong").await;
    let answer = escalate(&bot, &moderator(), id, 3, "It is an invoice question").await;
    assert!(
        answer.contains(&format!("Ticket #{id} moved: General → **Billing**")),
        "{answer}"
    );
    assert!(answer.contains("Open"), "{answer}");
    // Least privilege: nothing of the ticket's content or owner.
    assert!(
        !answer.contains("Invoice is wrong") && !answer.contains("It stopped working"),
        "{answer}"
    );
    assert!(
        !answer.contains("alice") && !answer.contains(&alice().id.to_string()),
        "{answer}"
    );

    assert_eq!(bot.sandbox_tickets().await[0]["topic"], 3);
    let events = topic_events(&bot).await;
    assert_eq!(events.len(), 1);
    let reason = events[0]["data"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("It is an invoice question")
            && reason.contains(&moderator().id.to_string()),
        "{reason}"
    );

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let notices = bot.channel_messages(BILLING);
        let dms: Vec<Value> = bot
            .all_channel_messages()
            .into_iter()
            .filter(|(c, _)| *c != STAFF && *c != BILLING)
            .map(|(_, m)| m)
            .collect();
        if !notices.is_empty() && !dms.is_empty() {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            assert_eq!(bot.channel_messages(BILLING).len(), 1);
            let notice = text_of(&bot.channel_messages(BILLING)[0]);
            assert!(notice.contains("General → Billing"), "{notice}");
            assert!(notice.contains("invoice question"), "{notice}");
            assert!(
                notice.contains(&moderator().id.to_string()),
                "the moderator: {notice}"
            );
            let dm_count = bot
                .all_channel_messages()
                .into_iter()
                .filter(|(c, _)| *c != STAFF && *c != BILLING)
                .count();
            assert_eq!(dm_count, 1);
            assert!(
                text_of(&dms[0]).contains("moved to Billing"),
                "{}",
                text_of(&dms[0])
            );
            break;
        }
        assert!(Instant::now() < deadline, "no notice or DM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let m = bot.metrics().await;
    assert!(m.contains("paradarum_escalations_total 1"), "{m}");
    assert!(bot.log().contains("ticket escalated"));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn members_without_the_role_are_refused_even_as_admins_or_from_a_dm() {
    let bot = start().await;
    let id = open(&bot, &alice(), 0, "Stay put").await;
    let plain = bob();
    let mut admin = bob();
    admin.admin = true;
    for user in [plain, admin] {
        let answer = escalate(&bot, &user, id, 3, "please").await;
        assert!(answer.contains("Only community moderators"), "{answer}");
    }
    // From a DM: even a moderator has no guild roles there.
    let sent = bot.command_dm(
        &moderator(),
        "escalate",
        json!([
            {"type": 3, "name": "ticket", "value": id.to_string()},
            {"type": 4, "name": "to", "value": 3},
            {"type": 3, "name": "reason", "value": "from a DM"},
        ]),
    );
    let first = bot.callback(&sent).await;
    assert!(
        text_of(&first["data"]).contains("Only community moderators"),
        "{first}"
    );
    assert_eq!(bot.sandbox_tickets().await[0]["topic"], 0);
    assert!(topic_events(&bot).await.is_empty());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(bot.channel_messages(BILLING).is_empty());
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn closed_same_topic_unknown_ids_and_bad_reasons_are_answered_and_change_nothing() {
    let bot = start().await;
    let general = open(&bot, &alice(), 0, "One").await;
    let billing = open(&bot, &alice(), 3, "Two").await;
    let closed = open(&bot, &alice(), 1, "Three").await;
    let r = bot
        .api
        .post(bot.sandbox_url(&format!("v1/tickets/{closed}/close")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let m = moderator();

    let a = escalate(&bot, &m, closed, 4, "cert").await;
    assert!(
        a.contains("Closed") && a.contains("nothing was changed"),
        "{a}"
    );
    let a = escalate(&bot, &m, billing, 3, "again").await;
    assert!(a.contains("already under Billing"), "{a}");
    let a = escalate(&bot, &m, 424242, 3, "ghost").await;
    assert!(a.contains("There is no ticket #424242"), "{a}");
    let a = escalate(&bot, &m, general, 3, "   ").await;
    assert!(a.contains("reason of 1 to 500"), "{a}");
    let a = escalate(&bot, &m, general, 3, &"r".repeat(501)).await;
    assert!(a.contains("reason of 1 to 500"), "{a}");
    let a = escalate(&bot, &m, general, 5, "not allowed").await;
    assert!(a.contains("Billing or SSL / Certificates only"), "{a}");

    assert!(topic_events(&bot).await.is_empty(), "nothing changed");
    let topics: Vec<i64> = bot
        .sandbox_tickets()
        .await
        .iter()
        .map(|t| t["topic"].as_i64().unwrap())
        .collect();
    let mut sorted = topics.clone();
    sorted.sort();
    assert_eq!(sorted, [0, 1, 3]);
    bot.assert_no_schema_errors();
}
