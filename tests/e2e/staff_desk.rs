//! Staff work tickets from their notices: View, Start, Resolve and Reply on a
//! single-ticket notice, for members of the staff roles only; the notice edited in place
//! as its ticket changes, from Discord or from anywhere else.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{alice, bob, buttons, text_of, Bot, Sent, User, ADMIN};

const STAFF: u64 = 700_000_000_000_000_001;
const STAFF_ROLE: u64 = 810_000_000_000_000_001;
const MOD_ROLE: u64 = 800_000_000_000_000_001;
const PANEL: &str = "https://panel.paradarum.example/tickets/{id}";

fn sam() -> User {
    User {
        id: 500_000_000_000_000_001,
        name: "sam",
        roles: vec![STAFF_ROLE],
        admin: false,
    }
}

fn kim() -> User {
    User {
        id: 500_000_000_000_000_002,
        name: "kim",
        roles: vec![STAFF_ROLE, MOD_ROLE],
        admin: false,
    }
}

fn moderator() -> User {
    User {
        id: 400_000_000_000_000_009,
        name: "mod",
        roles: vec![MOD_ROLE],
        admin: false,
    }
}

async fn start(on_open: bool) -> Bot {
    Bot::start_with(&[
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ("STAFF_ROLE_IDS", &STAFF_ROLE.to_string()),
        ("MODERATOR_ROLE_IDS", &MOD_ROLE.to_string()),
        (
            "PARADARUM_BOT__NOTIFICATIONS__ON_OPEN",
            if on_open { "true" } else { "false" },
        ),
        ("PARADARUM_BOT__NOTIFICATIONS__ON_REOPEN", "true"),
        ("PARADARUM_BOT__NOTIFICATIONS__TICKET_URL", PANEL),
    ])
    .await
}

async fn wait_until(what: &str, secs: u64, ok: impl FnMut() -> bool) {
    assert!(
        waited(secs, ok).await.is_some(),
        "timed out waiting for {what}"
    );
}

/// Some(()) once `ok`, None after `secs`.
async fn waited(secs: u64, mut ok: impl FnMut() -> bool) -> Option<()> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some(())
}

/// The staff channel's only notice, as Discord shows it now (edits applied).
fn notice(bot: &Bot) -> Value {
    let all = bot.channel_messages(STAFF);
    assert_eq!(all.len(), 1, "one notice, never reposted: {all:#?}");
    all[0].clone()
}

fn labels(msg: &Value) -> Vec<String> {
    buttons(msg).into_iter().map(|(l, _)| l).collect()
}

fn button(msg: &Value, label: &str) -> String {
    buttons(msg)
        .into_iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no {label} button on {msg:#}"))
        .1
}

async fn status_of(bot: &Bot, id: u64) -> i64 {
    let tickets = bot.sandbox_tickets().await;
    let t = tickets.iter().find(|t| t["id"] == id).expect("the ticket");
    t["status"].as_i64().unwrap()
}

/// What the bot answered a press: its immediate message, or the deferred one's edit.
async fn answer(bot: &Bot, sent: &Sent) -> (u64, String) {
    let first = bot.callback(sent).await;
    let kind = first["type"].as_u64().unwrap();
    if kind == 4 {
        assert_eq!(
            first["data"]["flags"].as_u64().unwrap_or(0) & 64,
            64,
            "private"
        );
        return (kind, text_of(&first["data"]));
    }
    if kind == 5 {
        assert_eq!(
            first["data"]["flags"].as_u64().unwrap_or(0) & 64,
            64,
            "private"
        );
        return (kind, text_of(&bot.final_message(sent, 10).await));
    }
    (kind, first.to_string())
}

fn dms(bot: &Bot) -> Vec<Value> {
    bot.all_channel_messages()
        .into_iter()
        .filter(|(c, _)| *c != STAFF)
        .map(|(_, m)| m)
        .collect()
}

#[tokio::test]
async fn staff_start_and_resolve_a_new_ticket_from_its_notice_which_is_edited_in_place() {
    let bot = start(true).await;
    let a = alice();
    let id = bot.open_via_discord(&a, 0, "Site down").await.0;
    wait_until("the new-ticket notice", 15, || {
        !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    let n = notice(&bot);
    let link = PANEL.replace("{id}", &id.to_string());
    assert_eq!(n["embeds"][0]["url"], json!(link), "{n:#}");
    assert!(text_of(&n).contains(&format!("New ticket #{id}")), "{n:#}");
    assert_eq!(labels(&n), ["View", "Start", "Resolve", "Reply"]);

    // View: the card, for the presser only; nothing changes.
    let (_, card) = answer(&bot, &bot.press(&sam(), &button(&n, "View"), true)).await;
    assert!(
        card.contains("Site down") && card.contains("It stopped working"),
        "{card}"
    );

    let (kind, said) = answer(&bot, &bot.press(&sam(), &button(&n, "Start"), true)).await;
    assert_eq!(kind, 5);
    assert!(
        said.contains(&format!("Ticket #{id} is now **In Progress**")),
        "{said}"
    );
    assert_eq!(status_of(&bot, id).await, 1);
    wait_until("the notice edited to In Progress", 15, || {
        text_of(&notice(&bot)).contains("In Progress")
    })
    .await;
    let n = notice(&bot);
    assert_eq!(
        labels(&n),
        ["View", "Resolve", "Reply"],
        "no Start once started"
    );
    assert!(
        text_of(&n).contains(&format!("Started by <@{}>", sam().id)),
        "{n:#}"
    );
    assert_eq!(n["embeds"][0]["url"], json!(link));

    let (_, said) = answer(&bot, &bot.press(&sam(), &button(&n, "Resolve"), true)).await;
    assert!(said.contains("is now **Resolved**"), "{said}");
    assert_eq!(status_of(&bot, id).await, 2);
    wait_until("the notice edited to Resolved", 15, || {
        text_of(&notice(&bot)).contains("Resolved by")
    })
    .await;
    let n = notice(&bot);
    assert_eq!(labels(&n), ["View", "Reply"]);
    assert!(!bot.fake.edits(STAFF).is_empty());
    // The customer hears of the resolution once.
    wait_until("the Resolved DM", 15, || {
        dms(&bot).iter().any(|m| text_of(m).contains("is Resolved"))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let resolved_dms = dms(&bot)
        .iter()
        .filter(|m| text_of(m).contains("is Resolved"))
        .count();
    assert_eq!(resolved_dms, 1);
    assert_eq!(
        bot.channel_messages(STAFF).len(),
        1,
        "edited, never reposted"
    );

    let m = bot.metrics().await;
    assert!(
        m.contains("paradarum_staff_actions_total{action=\"resolve\",outcome=\"done\"} 1"),
        "{m}"
    );
    assert!(bot.log().contains("staff action"));
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn presses_by_non_staff_and_by_moderators_without_the_staff_role_change_nothing() {
    let bot = start(true).await;
    let id = bot.open_via_discord(&alice(), 0, "Leave me be").await.0;
    wait_until("the notice", 15, || !bot.channel_messages(STAFF).is_empty()).await;
    let n = notice(&bot);
    let mut admin = bob();
    admin.admin = true;
    for user in [bob(), moderator(), admin] {
        for label in ["View", "Start", "Resolve", "Reply"] {
            let (kind, said) = answer(&bot, &bot.press(&user, &button(&n, label), true)).await;
            assert_eq!(kind, 4, "{label} by {}: {said}", user.name);
            assert!(said.contains("Only Paradarum staff"), "{said}");
        }
    }
    // From a DM even staff hold no roles.
    let (kind, said) = answer(&bot, &bot.press(&sam(), &button(&n, "Start"), false)).await;
    assert_eq!(kind, 4);
    assert!(said.contains("Only Paradarum staff"), "{said}");

    assert_eq!(status_of(&bot, id).await, 0);
    assert_eq!(
        bot.sandbox_messages(id).await.len(),
        1,
        "no reply was added"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(bot.fake.edits(STAFF).is_empty(), "nothing to edit");
    let m = bot.metrics().await;
    assert!(
        m.contains("paradarum_staff_actions_total{action=\"start\",outcome=\"refused\"} 4"),
        "{m}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_staff_reply_from_the_notice_reaches_the_ticket_and_the_customers_dm() {
    let bot = start(true).await;
    let a = alice();
    let id = bot.open_via_discord(&a, 0, "How do I renew?").await.0;
    wait_until("the notice", 15, || !bot.channel_messages(STAFF).is_empty()).await;
    let n = notice(&bot);
    let modal = bot
        .callback(&bot.press(&kim(), &button(&n, "Reply"), true))
        .await;
    assert_eq!(modal["type"], 9, "a form: {modal}");
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&kim(), &cid, &[("body", "Open Billing → Renew.")]);
    let done = text_of(&bot.final_message(&sub, 10).await);
    assert!(
        done.contains(&format!("sent to the customer of ticket #{id}")),
        "{done}"
    );

    let messages = bot.sandbox_messages(id).await;
    let last = messages.last().unwrap();
    assert_eq!(last["author"], "staff", "{last}");
    assert_eq!(last["body"], "Open Billing → Renew.");
    assert_eq!(
        last["staffName"], "kim",
        "the presser's display name: {last}"
    );
    waited(15, || {
        dms(&bot).iter().any(|m| {
            let t = text_of(m);
            t.contains(&format!("#{id}")) && t.contains("Open Billing") && t.contains("kim")
        })
    })
    .await
    .unwrap_or_else(|| panic!("{:#?}", dms(&bot)));
    wait_until("the notice edited after the reply", 15, || {
        text_of(&notice(&bot)).contains(&format!("Replied by <@{}>", kim().id))
    })
    .await;
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn reply_on_a_closed_ticket_is_refused_before_any_form_and_its_notice_loses_its_buttons() {
    let bot = start(true).await;
    let id = bot.open_via_discord(&alice(), 0, "Done already").await.0;
    wait_until("the notice", 15, || !bot.channel_messages(STAFF).is_empty()).await;
    let n = notice(&bot);
    let r = bot
        .api
        .post(bot.sandbox_url(&format!("v1/tickets/{id}/close")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let (kind, said) = answer(&bot, &bot.press(&sam(), &button(&n, "Reply"), true)).await;
    assert_eq!(kind, 4, "no form: {said}");
    assert!(said.contains("Closed"), "{said}");
    wait_until("the notice edited to Closed", 15, || {
        labels(&notice(&bot)).is_empty()
    })
    .await;
    assert!(text_of(&notice(&bot)).contains("Closed"));
    // The old Start is answered, never an error.
    let (_, said) = answer(&bot, &bot.press(&sam(), &button(&n, "Start"), true)).await;
    assert!(
        said.contains("Closed") && said.contains("Nothing was changed"),
        "{said}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn two_staff_resolving_at_once_make_one_change_and_one_clear_already_resolved() {
    let bot = start(true).await;
    let id = bot.open_via_discord(&alice(), 0, "Race me").await.0;
    wait_until("the notice", 15, || !bot.channel_messages(STAFF).is_empty()).await;
    let n = notice(&bot);
    let resolve = button(&n, "Resolve");
    let first = bot.press(&sam(), &resolve, true);
    let second = bot.press(&kim(), &resolve, true);
    let (_, a) = answer(&bot, &first).await;
    let (_, b) = answer(&bot, &second).await;
    let both = [a.clone(), b.clone()];
    let done = both
        .iter()
        .filter(|t| t.contains("is now **Resolved**"))
        .count();
    let already: Vec<&String> = both
        .iter()
        .filter(|t| t.contains("already **Resolved**"))
        .collect();
    assert_eq!((done, already.len()), (1, 1), "{a}\n{b}");
    let winner = if a.contains("is now") { "sam" } else { "kim" };
    assert!(
        already[0].contains(&format!("by {winner}")),
        "{}",
        already[0]
    );
    let changes = bot
        .sandbox_items("v1/events?limit=100")
        .await
        .into_iter()
        .filter(|e| e["type"] == "ticket.status_changed" && e["ticketId"] == id)
        .count();
    assert_eq!(changes, 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_notice_follows_later_events_from_anywhere_and_a_deleted_one_is_forgotten() {
    let bot = start(false).await;
    let a = alice();
    let id = bot.open_via_discord(&a, 0, "Flaky DNS").await.0;
    // Resolved in Paradarum's panel: the notice comes from the event.
    bot.sandbox_set_status(id, 2).await;
    wait_until("the Resolved notice", 15, || {
        !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    assert_eq!(labels(&notice(&bot)), ["View", "Reply"]);
    // The customer reopens it by replying: the notice is edited (on_reopen would post
    // one; the channel already shows this ticket, so it is edited instead).
    let sent = bot.command(
        &a,
        "reply",
        json!([{"type": 3, "name": "ticket", "value": id.to_string()}]),
    );
    let modal = bot.callback(&sent).await;
    let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let sub = bot.submit_modal(&a, &cid, &[("body", "Still broken")]);
    bot.final_message(&sub, 10).await;
    wait_until("the notice edited to Open", 15, || {
        labels(&notice(&bot)) == ["View", "Start", "Resolve", "Reply"]
    })
    .await;
    assert!(text_of(&notice(&bot)).contains("Open"));

    // Someone deletes the notice: the next event's edit gets 404 and it is forgotten.
    let message = bot.fake.message_id(STAFF, 0).unwrap();
    bot.fake.delete_message(message);
    let edits = bot.fake.edits(STAFF).len();
    bot.sandbox_set_status(id, 1).await;
    wait_until("the failed edit", 15, || {
        bot.fake
            .recorded()
            .iter()
            .any(|r| r.method == "PATCH" && r.status == 404)
    })
    .await;
    bot.sandbox_set_status(id, 2).await;
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let patches_404 = bot
        .fake
        .recorded()
        .iter()
        .filter(|r| r.method == "PATCH" && r.status == 404)
        .count();
    assert_eq!(patches_404, 1, "forgotten after the first 404");
    assert_eq!(bot.fake.edits(STAFF).len(), edits);
    let log = bot.log();
    assert!(
        log.contains("no longer edited") && !log.contains("panicked"),
        "{log}"
    );
    assert!(bot.pid().is_some(), "still running");
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn a_notices_buttons_and_its_edits_work_after_a_restart() {
    let mut bot = start(true).await;
    let id = bot.open_via_discord(&alice(), 0, "Across restarts").await.0;
    wait_until("the notice", 15, || !bot.channel_messages(STAFF).is_empty()).await;
    let n = notice(&bot);
    bot.stop();
    bot.spawn().await;
    // The press carries everything; the notice's record is in the database.
    let (_, said) = answer(&bot, &bot.press(&sam(), &button(&n, "Start"), true)).await;
    assert!(said.contains("is now **In Progress**"), "{said}");
    wait_until("the notice edited after the restart", 15, || {
        labels(&notice(&bot)) == ["View", "Resolve", "Reply"]
    })
    .await;
    assert_eq!(status_of(&bot, id).await, 1);
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn the_notice_speaks_the_staff_language_and_each_presser_is_answered_in_theirs() {
    let bot = Bot::start_with(&[
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ("STAFF_ROLE_IDS", &STAFF_ROLE.to_string()),
        ("PARADARUM_BOT__NOTIFICATIONS__ON_OPEN", "true"),
        ("PARADARUM_BOT__NOTIFICATIONS__LOCALE", "pl"),
    ])
    .await;
    // A German staff member and a Brazilian customer, in a server whose language is French.
    bot.speaks(&sam(), "de", "fr");
    bot.speaks(&bob(), "pt-BR", "fr");
    let id = bot
        .open_via_discord(&alice(), 0, "Strona nie działa")
        .await
        .0;
    wait_until("the new-ticket notice", 15, || {
        !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    let first = notice(&bot);
    assert!(
        text_of(&first).contains(&format!("Nowe zgłoszenie #{id}")),
        "{first:#}"
    );
    assert_eq!(
        labels(&first),
        ["Pokaż", "Rozpocznij", "Rozwiąż", "Odpowiedz"]
    );

    // Not staff: refused in the presser's own language.
    let (_, said) = answer(&bot, &bot.press(&bob(), &button(&first, "Rozwiąż"), true)).await;
    assert!(
        said.contains("Só a equipe de suporte da Paradarum"),
        "{said}"
    );

    let (_, said) = answer(
        &bot,
        &bot.press(&sam(), &button(&first, "Rozpocznij"), true),
    )
    .await;
    assert!(
        said.contains(&format!("Ticket #{id} ist jetzt **In Bearbeitung**")),
        "{said}"
    );
    // The edit stays in the staff language, naming who acted.
    wait_until("the notice edited in Polish", 15, || {
        text_of(&notice(&bot)).contains(&format!("Rozpoczęte przez <@{}>", sam().id))
    })
    .await;
    let n = notice(&bot);
    assert!(
        text_of(&n).contains(&format!("Zgłoszenie #{id} · W toku")),
        "{n:#}"
    );
    assert_eq!(labels(&n), ["Pokaż", "Rozwiąż", "Odpowiedz"]);

    // A stale Start from the first drawing: "already", in German, naming who did it.
    let (_, said) = answer(
        &bot,
        &bot.press(&sam(), &button(&first, "Rozpocznij"), true),
    )
    .await;
    assert!(
        said.contains(&format!(
            "Ticket #{id} ist schon **In Bearbeitung** (von sam,"
        )),
        "{said}"
    );
    assert_eq!(status_of(&bot, id).await, 1);

    // The reply form in the presser's language.
    let modal = bot
        .callback(&bot.press(&sam(), &button(&n, "Odpowiedz"), true))
        .await;
    assert_eq!(modal["type"], 9, "a form: {modal}");
    let shown = modal.to_string();
    assert!(
        shown.contains(&format!("Team-Antwort auf Ticket #{id}"))
            && shown.contains("Nachricht an den Kunden"),
        "{modal}"
    );
    bot.assert_no_schema_errors();
}
