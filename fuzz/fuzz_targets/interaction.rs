//! What a Discord user sends: custom ids (buttons and modals), the ticket option, attachment
//! URLs and modal text. Every input is tried as each of them, and the bytes also build a
//! custom id that must encode and read back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paradarum_bot::discord::commands::parse_ticket_id;
use paradarum_bot::discord::commands::reply::attachment_url_allowed;
use paradarum_bot::discord::ids::{CustomId, CUSTOM_ID_MAX};
use paradarum_bot::ticket::{self, Status, Topic};

fuzz_target!(|data: &[u8]| {
    if let Some(id) = build(data) {
        if let Some(text) = id.encode() {
            assert!(text.len() <= CUSTOM_ID_MAX);
            assert_eq!(CustomId::parse(&text), Some(id), "{text:?}");
        }
    }
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    // A custom id is read or refused; what is read from at most 100 characters encodes to
    // at most 100 and reads back as itself.
    if let Some(id) = CustomId::parse(s) {
        if s.len() <= CUSTOM_ID_MAX {
            let text = id
                .encode()
                .unwrap_or_else(|| panic!("{s:?} reads as {id:?}, which does not encode"));
            assert!(text.len() <= CUSTOM_ID_MAX);
            assert_eq!(CustomId::parse(&text), Some(id));
        }
    }
    // The ticket option: a positive number that was typed, or a refusal.
    if let Ok(id) = parse_ticket_id(s) {
        assert!(id > 0 && s.contains(&id.to_string()), "{s:?} → {id}");
    }
    // Attachments: https from an allowed host, or http to an allowed loopback address.
    let hosts = [
        "cdn.discordapp.com".to_string(),
        "media.discordapp.net".to_string(),
        "127.0.0.1".to_string(),
    ];
    if attachment_url_allowed(s, &hosts) {
        let u = url::Url::parse(s).expect("an allowed URL parses");
        let host = u.host_str().unwrap_or_default();
        assert!(hosts.iter().any(|h| h == host), "{s:?}");
        assert!(
            u.scheme() == "https" || (u.scheme() == "http" && host == "127.0.0.1"),
            "{s:?}"
        );
    }
    // Modal text: accepted exactly when it is not blank and within the limit.
    let fits = |max: usize| !s.trim().is_empty() && s.chars().count() <= max;
    assert_eq!(
        ticket::validate_subject(s).is_ok(),
        fits(ticket::SUBJECT_MAX_CHARS)
    );
    assert_eq!(
        ticket::validate_message(s).is_ok(),
        fits(ticket::MESSAGE_MAX_CHARS)
    );
});

/// A custom id from bytes: the first picks the kind, then numbers, then text.
fn build(data: &[u8]) -> Option<CustomId> {
    let (&kind, rest) = data.split_first()?;
    let number = |at: usize| -> u64 {
        let mut b = [0u8; 8];
        for (i, x) in rest.iter().skip(at).take(8).enumerate() {
            b[i] = *x;
        }
        u64::from_le_bytes(b)
    };
    let text = String::from_utf8_lossy(rest.get(16..).unwrap_or_default()).into_owned();
    let small = number(0) as i64 % 8;
    Some(match kind % 7 {
        0 => CustomId::OpenModal {
            origin: number(8),
            topic: Topic::from(small),
            property: (kind & 0x80 != 0).then_some(text),
        },
        1 => CustomId::ReplyModal {
            ticket: number(0),
            origin: number(8),
        },
        2 => CustomId::LinkModal,
        3 => CustomId::Close(number(0)),
        4 => CustomId::KeepOpen(number(0)),
        5 => CustomId::ListPage {
            status: (kind & 0x80 != 0).then_some(Status::from(small)),
            page: number(8) as u32,
            cursor: text,
        },
        _ => CustomId::ReplyButton(number(0)),
    })
}
