//! Every word in the reader's language (#14): a German and a Brazilian user see theirs in
//! answers, forms, cards, errors and DMs; staff messages follow `notifications.locale`,
//! else the server's preferred locale. The API integers never change with the language.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{alice, bob, buttons, text_of, Bot, User};

const STAFF: u64 = 700_000_000_000_000_011;

async fn wait_until(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn dms(bot: &Bot) -> Vec<Value> {
    bot.all_channel_messages()
        .into_iter()
        .filter(|(c, _)| *c != STAFF)
        .map(|(_, m)| m)
        .collect()
}

/// `/ticket open` with `topic` → the form (checked against `form`: title and labels) →
/// submitted: the ticket's id and the final answer's text.
async fn open(bot: &Bot, user: &User, topic: u8, form: [&str; 3], subject: &str) -> (u64, String) {
    let slash = bot.command(
        user,
        "open",
        json!([{"type": 4, "name": "topic", "value": topic}]),
    );
    let modal = bot.callback(&slash).await;
    assert_eq!(modal["type"], 9, "a form: {modal}");
    let shown = modal.to_string();
    for words in form {
        assert!(shown.contains(words), "{words:?} not in the form: {modal}");
    }
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    // A blank subject is refused in the user's language, and nothing is opened.
    let blank = bot.submit_modal(
        user,
        &custom_id,
        &[("subject", "   "), ("description", "x")],
    );
    let refused = text_of(&bot.final_message(&blank, 10).await);
    let submit = bot.submit_modal(
        user,
        &custom_id,
        &[("subject", subject), ("description", "Since this morning.")],
    );
    let text = text_of(&bot.final_message(&submit, 20).await);
    let id = crate::harness::ticket_id_in(&text).unwrap_or_else(|| panic!("no id in {text}"));
    (id, format!("{refused}\n{text}"))
}

#[tokio::test]
async fn a_german_and_a_brazilian_user_see_their_language_and_staff_read_the_configured_one() {
    let bot = Bot::start_with(&[
        ("STAFF_CHANNEL_ID", &STAFF.to_string()),
        ("PARADARUM_BOT__NOTIFICATIONS__LOCALE", "fr"),
    ])
    .await;
    let (de, br) = (alice(), bob());
    bot.speaks(&de, "de", "en-US");
    bot.speaks(&br, "pt-BR", "en-US");

    // Forms and answers.
    let (de_id, de_text) = open(
        &bot,
        &de,
        4,
        ["Neues Ticket: SSL / Zertifikate", "Betreff", "Beschreibung"],
        "Zertifikat abgelaufen",
    )
    .await;
    for words in [
        "Der Betreff darf nicht leer sein.",
        &format!("Ticket #{de_id} ist geöffnet. Nur du kannst das sehen."),
        "SSL / Zertifikate",
        "Offen",
        "Was „Offen“ bedeutet",
        "Wie es weitergeht",
    ] {
        assert!(de_text.contains(words), "{words:?} not in: {de_text}");
    }
    let (br_id, br_text) = open(
        &bot,
        &br,
        3,
        ["Novo chamado: Cobrança", "Assunto", "Descrição"],
        "Fatura duplicada",
    )
    .await;
    for words in [
        "O assunto não pode ficar vazio.",
        &format!("O chamado #{br_id} está aberto. Só você pode ver isto."),
        "Cobrança",
        "Aberto",
        "Próximos passos",
    ] {
        assert!(br_text.contains(words), "{words:?} not in: {br_text}");
    }
    // The API integers never change with the language.
    let tickets = bot.sandbox_tickets().await;
    let topic_of = |id: u64| tickets.iter().find(|t| t["id"] == id).unwrap()["topic"].clone();
    assert_eq!((topic_of(de_id), topic_of(br_id)), (json!(4), json!(3)));

    // Command errors and cards.
    let bad = bot.command(
        &de,
        "status",
        json!([{"type": 3, "name": "ticket", "value": "abc"}]),
    );
    let shown = text_of(&bot.callback(&bad).await["data"]);
    assert!(shown.contains("Wähle ein Ticket aus der Liste"), "{shown}");
    let status = bot.command(
        &br,
        "status",
        json!([{"type": 3, "name": "ticket", "value": br_id.to_string()}]),
    );
    let card = text_of(&bot.final_message(&status, 10).await);
    assert!(
        card.contains(&format!("Chamado #{br_id} · Fatura duplicada")),
        "{card}"
    );
    assert!(
        card.contains("Tópico") && card.contains("Cobrança"),
        "{card}"
    );

    // DMs in each customer's language; the staff message in French.
    bot.sandbox_set_status(de_id, 2).await;
    bot.sandbox_set_status(br_id, 2).await;
    wait_until("two DMs and the staff message", 20, || {
        dms(&bot).len() == 2 && !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    let dm_list = dms(&bot);
    let dm_of = |id: u64| {
        dm_list
            .iter()
            .find(|m| text_of(m).contains(&format!("#{id}")))
            .unwrap_or_else(|| panic!("no DM about #{id}: {dm_list:?}"))
    };
    let de_dm = dm_of(de_id);
    assert!(
        text_of(de_dm).contains(&format!("Dein Ticket #{de_id} ist gelöst")),
        "{de_dm}"
    );
    let labels: Vec<String> = buttons(de_dm).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["Antworten", "Ticket schließen (endgültig)"]);
    let br_dm = dm_of(br_id);
    assert!(
        text_of(br_dm).contains(&format!("Seu chamado #{br_id} está resolvido")),
        "{br_dm}"
    );
    let labels: Vec<String> = buttons(br_dm).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["Responder", "Fechar chamado (definitivo)"]);
    let staff: String = bot.channel_messages(STAFF).iter().map(text_of).collect();
    assert!(staff.contains("Résolu"), "{staff}");
    assert!(
        staff.contains("maintenant") || staff.contains("résolus"),
        "{staff}"
    );
    assert!(!staff.contains("Resolved"), "{staff}");

    // The DM's Reply button opens the form in the customer's language (from the DM).
    let press = bot.press(&br, &buttons(br_dm)[0].1, false);
    let modal = bot.callback(&press).await;
    assert!(
        modal
            .to_string()
            .contains(&format!("Resposta ao #{br_id} (reabre o chamado)")),
        "{modal}"
    );
    bot.assert_no_schema_errors();
}

#[tokio::test]
async fn without_a_configured_locale_staff_read_the_servers_language() {
    let bot = Bot::start_with(&[("STAFF_CHANNEL_ID", &STAFF.to_string())]).await;
    let user = alice();
    // A German client in a server whose preferred locale is Polish.
    bot.speaks(&user, "de", "pl");
    let (id, _) = open(
        &bot,
        &user,
        0,
        ["Neues Ticket: Allgemein", "Betreff", "Beschreibung"],
        "Frage",
    )
    .await;
    bot.sandbox_set_status(id, 2).await;
    wait_until("the DM and the staff message", 20, || {
        dms(&bot).len() == 1 && !bot.channel_messages(STAFF).is_empty()
    })
    .await;
    let staff = text_of(&bot.channel_messages(STAFF)[0]);
    assert!(
        staff.contains(&format!("Zgłoszenie #{id} ma teraz status Rozwiązane")),
        "{staff}"
    );
    assert!(staff.contains("Ogólne"), "{staff}");
    let dm = text_of(&dms(&bot)[0]);
    assert!(
        dm.contains(&format!("Dein Ticket #{id} ist gelöst")),
        "{dm}"
    );
    bot.assert_no_schema_errors();
}
