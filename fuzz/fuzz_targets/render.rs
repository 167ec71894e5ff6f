//! What the bot shows of user text: `inert`, `user_text` and the cards. For any text: no
//! mention can resolve, no markdown escapes its field, no format character is left but
//! the zero-width space inert puts after `@`, and every Discord limit holds.
#![no_main]

use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use paradarum_bot::discord::render::{
    close_confirmation, inert, is_format_char, ticket_card, ticket_list, user_text, Card,
    DESCRIPTION_MAX, EMBED_TOTAL_MAX, FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX, FOOTER_MAX,
    TITLE_MAX,
};
use paradarum_bot::i18n::Locale;
use paradarum_bot::ticket::api::{Attachment, Message, Ticket};
use paradarum_bot::ticket::{Author, Status, Topic};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let out = inert(&text);
    check_inert(&out, false);
    let max = data.first().map_or(0, |b| usize::from(*b));
    let cut = user_text(&text, max);
    assert!(cut.chars().count() <= max);
    let body = match cut.strip_suffix('…') {
        Some(b) if cut != out => b,
        _ => &cut,
    };
    check_inert(body, true);

    let n = data.len() as i64;
    let at = DateTime::from_timestamp(n * 1_000_003, 0).unwrap_or_default();
    let ticket = Ticket {
        id: n as u64,
        account_id: "acc".into(),
        topic: Topic::from(n % 8),
        status: Status::from(n % 6),
        subject: text.clone(),
        property_id: Some(text.clone()),
        created_at: at,
        updated_at: at,
    };
    let message = Message {
        id: 1,
        ticket_id: 1,
        author: Author::Customer,
        body: text.repeat(1 + max / 16),
        attachments: vec![
            Attachment {
                filename: text.clone(),
                content_type: "text/plain".into(),
                size: 1,
            };
            max % 6
        ],
        created_at: at,
    };
    let messages = vec![message; max % 4];
    // Every shipped language's words must fit too.
    let locales: Vec<Locale> = Locale::shipped().collect();
    let locale = locales[max % locales.len()];
    check_card(&ticket_card(&ticket, Some(&text), &messages, locale));
    check_card(&ticket_card(&ticket, None, &messages, locale));
    check_card(&close_confirmation(&ticket, locale));
    let tickets = vec![ticket; max % 12];
    check_card(&ticket_list(&tickets, Some(Status::from(n)), max as u32, locale));
    // Any card at all, however long its parts, is cut to the limits.
    let long: String = text.chars().cycle().take(8_000).collect();
    let card = Card {
        title: long.clone(),
        description: long.clone(),
        colour: 0,
        fields: vec![(long.clone(), long.clone(), false); max % 32],
        footer: Some(long),
        timestamp: None,
    }
    .within_limits();
    check_limits(&card);
});

const ALWAYS_ESCAPED: &str = "\\*_~`|><#-[]():";

/// Every markdown character escaped, every `@` followed by the zero-width space inert adds
/// (or, when `cut`, ending the text), no other format, control or separator character, no
/// list marker at the start of a line.
fn check_inert(out: &str, cut: bool) {
    let chars: Vec<char> = out.chars().collect();
    let (mut blank, mut digits) = (true, false);
    let mut i = 0;
    while i < chars.len() {
        let escaped = chars[i] == '\\';
        if escaped {
            i += 1;
        }
        let c = *chars
            .get(i)
            .unwrap_or_else(|| panic!("a lone backslash ends {out:?}"));
        if escaped {
            assert!(
                ALWAYS_ESCAPED.contains(c) || c == '+' || c == '.',
                "`\\{c}` in {out:?}"
            );
        } else {
            assert!(!ALWAYS_ESCAPED.contains(c), "unescaped `{c}` in {out:?}");
            if c == '@' {
                match chars.get(i + 1) {
                    Some('\u{200B}') => i += 1,
                    None if cut => {}
                    _ => panic!("`@` without a zero-width space in {out:?}"),
                }
            }
            assert!(
                !is_format_char(c) && !(c.is_control() && c != '\n' && c != '\t'),
                "U+{:04X} in {out:?}",
                c as u32
            );
            assert!(c != '\u{2028}' && c != '\u{2029}', "a separator in {out:?}");
            assert!(
                !(c == '+' && blank) && !(c == '.' && digits),
                "a list marker in {out:?}"
            );
        }
        (blank, digits) = match c {
            '\n' => (true, false),
            ' ' | '\t' if blank => (true, false),
            '0'..='9' if (blank || digits) && !escaped => (false, true),
            _ => (false, false),
        };
        i += 1;
    }
}

fn check_limits(card: &Card) {
    let n = |s: &str| s.chars().count();
    assert!(n(&card.title) <= TITLE_MAX, "{card:?}");
    assert!(n(&card.description) <= DESCRIPTION_MAX, "{card:?}");
    assert!(card.fields.len() <= FIELDS_MAX, "{card:?}");
    for (name, value, _) in &card.fields {
        assert!((1..=FIELD_NAME_MAX).contains(&n(name)), "{card:?}");
        assert!((1..=FIELD_VALUE_MAX).contains(&n(value)), "{card:?}");
    }
    assert!(
        card.footer.as_deref().map_or(0, n) <= FOOTER_MAX,
        "{card:?}"
    );
    assert!(card.total_chars() <= EMBED_TOTAL_MAX, "{card:?}");
}

/// A card drawn from user text: its limits, and nothing Discord is sent can resolve to a
/// mention (every `<` is escaped, but for the bot's own `<t:…:R>` times).
fn check_card(card: &Card) {
    check_limits(card);
    let text = serde_json::to_value(card.to_embed())
        .expect("an embed serializes")
        .to_string();
    assert!(
        !text.contains("@everyone") && !text.contains("@here"),
        "{text}"
    );
    let mut parts = text.split('<');
    let mut before = parts.next().unwrap_or_default();
    for after in parts {
        assert!(
            before.ends_with('\\') || after.starts_with(['t', '…']),
            "an unescaped `<` in {text}"
        );
        before = after;
    }
}
