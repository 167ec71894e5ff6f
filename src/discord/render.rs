//! What the bot shows: ticket cards and lists as plain data ([`Card`]), turned into Discord
//! embeds at the edge. Pure, so the limits and the hostile-input cases are unit-tested.
//!
//! Text that came from users (subjects, messages) always passes through [`inert`]: markdown
//! and mentions are neutralised, and it is cut to Discord's limits.

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;

use crate::i18n::{self, Locale, Text};
use crate::ticket::api::{Message, Ticket};
use crate::ticket::{self, Author, Status, Topic};
use crate::{text, tr};

pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4096;
pub const FIELD_NAME_MAX: usize = 256;
pub const FIELD_VALUE_MAX: usize = 1024;
pub const FIELDS_MAX: usize = 25;
pub const FOOTER_MAX: usize = 2048;
pub const EMBED_TOTAL_MAX: usize = 6000;
pub const CONTENT_MAX: usize = 2000;

/// Makes user text display exactly as typed: markdown is escaped, mentions cannot resolve
/// (`@everyone` gets a zero-width space; `<@…>` loses its angle bracket meaning), masked
/// links show as text, and invisible characters that change how text reads are dropped
/// (see [`is_format_char`]). Every message the bot sends also sets allowed mentions to none.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Where the current line is: a list marker (`+ `, `1. `) only counts at its start.
    let mut line = Line::Blank;
    for c in text.chars() {
        // Dropped, and invisible to the line state: control characters other than newlines
        // and tabs, and format characters.
        if (c.is_control() && c != '\n' && c != '\t') || is_format_char(c) {
            continue;
        }
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '-' | '[' | ']' | '(' | ')'
            | ':' => {
                out.push('\\');
                out.push(c);
            }
            // `+ item` and `1. item` are list items at the start of a line.
            '+' if line == Line::Blank => out.push_str("\\+"),
            '.' if line == Line::Digits => out.push_str("\\."),
            '@' => out.push_str("@\u{200B}"),
            // Line and paragraph separators break lines as a newline does: shown as one.
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            c => out.push(c),
        }
        line = match (c, line) {
            ('\n' | '\u{2028}' | '\u{2029}', _) => Line::Blank,
            (' ' | '\t', Line::Blank) => Line::Blank,
            ('0'..='9', Line::Blank | Line::Digits) => Line::Digits,
            _ => Line::Past,
        };
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Only spaces so far.
    Blank,
    /// Spaces, then digits.
    Digits,
    Past,
}

/// Unicode's format characters, general category Cf: bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069: "invoice\u{202E}fdp.exe" shows as "invoiceexe.pdf"),
/// zero-width spaces and joiners (U+200B–U+200D, U+2060, U+FEFF: "@every\u{200D}one" looks
/// like a ping), direction marks, the soft hyphen, invisible operators, tag characters.
///
/// [`inert`] drops them rather than showing them as `\u{202E}` text: the text then reads
/// in its real order with nothing hidden, a staff notice is not padded with escapes that
/// crowd out the subject under Discord's limits, and legitimate uses (a joiner inside an
/// emoji sequence, a direction mark in Arabic or Hebrew text) lose only their joining or
/// their punctuation placement, never a letter.
///
/// Source: every `Cf` range of `DerivedGeneralCategory.txt` (Unicode Character Database),
/// Unicode 18.0, as carried by the `unicode-properties` crate (a dev-dependency only): a unit
/// test compares the two for every code point. A table of 21 ranges, not a dependency.
const FORMAT_CHARS: [(char, char); 21] = [
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{0600}', '\u{0605}'),   // Arabic number signs
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark
    ('\u{06DD}', '\u{06DD}'),   // Arabic end of ayah
    ('\u{070F}', '\u{070F}'),   // Syriac abbreviation mark
    ('\u{0890}', '\u{0891}'),   // Arabic pound and piastre marks above
    ('\u{08E2}', '\u{08E2}'),   // Arabic disputed end of ayah
    ('\u{180E}', '\u{180E}'),   // Mongolian vowel separator
    ('\u{200B}', '\u{200F}'),   // zero-width space, (non-)joiner, LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidi embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner, invisible operators
    ('\u{2066}', '\u{206F}'),   // bidi isolates, deprecated format characters
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (BOM)
    ('\u{FFF9}', '\u{FFFB}'),   // interlinear annotation
    ('\u{110BD}', '\u{110BD}'), // Kaithi number sign
    ('\u{110CD}', '\u{110CD}'), // Kaithi number sign above
    ('\u{13430}', '\u{1343F}'), // Egyptian hieroglyph format controls
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{E0001}', '\u{E0001}'), // language tag
    ('\u{E0020}', '\u{E007F}'), // tag characters
];

/// Whether `c` is a Unicode format character (general category Cf), see [`FORMAT_CHARS`].
pub fn is_format_char(c: char) -> bool {
    FORMAT_CHARS
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut. Never splits an
/// escape pair produced by [`inert`].
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    // A trailing lone backslash would escape the ellipsis: drop it.
    let trailing = out.chars().rev().take_while(|c| *c == '\\').count();
    if trailing % 2 == 1 {
        out.pop();
    }
    out.push('…');
    out
}

/// User text, inert and cut to `max`.
pub fn user_text(text: &str, max: usize) -> String {
    truncate(&inert(text), max)
}

/// An embed as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub title: String,
    pub description: String,
    pub colour: u32,
    pub fields: Vec<(String, String, bool)>,
    pub footer: Option<String>,
    pub timestamp: Option<DateTime<Utc>>,
}

impl Card {
    /// Applies every per-part limit and then the 6,000-character total, dropping fields
    /// from the end if needed.
    pub fn within_limits(mut self) -> Self {
        self.title = truncate(&self.title, TITLE_MAX);
        self.description = truncate(&self.description, DESCRIPTION_MAX);
        self.fields.truncate(FIELDS_MAX);
        for (name, value, _) in &mut self.fields {
            *name = truncate(name, FIELD_NAME_MAX);
            *value = truncate(value, FIELD_VALUE_MAX);
            // Discord refuses an empty field name or value.
            if name.is_empty() {
                *name = "\u{200B}".into();
            }
            if value.is_empty() {
                *value = "\u{200B}".into();
            }
        }
        self.footer = self.footer.map(|f| truncate(&f, FOOTER_MAX));
        while self.total_chars() > EMBED_TOTAL_MAX && !self.fields.is_empty() {
            self.fields.pop();
        }
        if self.total_chars() > EMBED_TOTAL_MAX {
            let room = EMBED_TOTAL_MAX - (self.total_chars() - self.description.chars().count());
            self.description = truncate(&self.description, room);
        }
        self
    }

    pub fn total_chars(&self) -> usize {
        let n = |s: &str| s.chars().count();
        n(&self.title)
            + n(&self.description)
            + self.footer.as_deref().map_or(0, n)
            + self
                .fields
                .iter()
                .map(|(a, b, _)| n(a) + n(b))
                .sum::<usize>()
    }

    pub fn to_embed(&self) -> serenity::CreateEmbed {
        let card = self.clone().within_limits();
        let mut e = serenity::CreateEmbed::new()
            .title(card.title)
            .colour(card.colour);
        if !card.description.is_empty() {
            e = e.description(card.description);
        }
        for (name, value, inline) in card.fields {
            e = e.field(name, value, inline);
        }
        if let Some(f) = card.footer {
            e = e.footer(serenity::CreateEmbedFooter::new(f));
        }
        if let Some(t) = card.timestamp {
            e = e.timestamp(serenity::Timestamp::from(t));
        }
        e
    }
}

/// Discord's relative timestamp markup: shows "3 minutes ago" in the reader's locale.
pub fn relative_time(t: DateTime<Utc>) -> String {
    format!("<t:{}:R>", t.timestamp())
}

fn author_label(a: Author) -> Text {
    match a {
        Author::Customer => text!("author-customer"),
        Author::Staff => text!("author-staff"),
        Author::System => text!("author-system"),
        Author::Unknown => text!("author-unknown"),
    }
}

/// What the customer should expect next, by status.
pub fn next_steps(status: Status) -> Text {
    match status {
        Status::Open => text!("next-open"),
        Status::InProgress => text!("next-in-progress"),
        Status::Resolved => text!("next-resolved"),
        Status::Closed => text!("next-closed"),
        Status::Unknown(_) => text!("next-unknown"),
    }
}

/// The ticket card in `locale`: id, topic badge (colour and label), status with its
/// meaning, property, last update, the last messages and what happens next.
pub fn ticket_card(
    ticket: &Ticket,
    property: Option<&str>,
    last: &[Message],
    locale: Locale,
) -> Card {
    let topic = i18n::topic(ticket.topic).render(locale);
    let status = i18n::status(ticket.status).render(locale);
    let mut fields = vec![
        (tr!(locale, "card-topic"), topic.clone(), true),
        (tr!(locale, "card-status"), status.clone(), true),
        (
            tr!(locale, "card-updated"),
            relative_time(ticket.updated_at),
            true,
        ),
    ];
    if let Some(p) = property.or(ticket.property_id.as_deref()) {
        fields.push((tr!(locale, "card-property"), user_text(p, 200), true));
    }
    fields.push((
        tr!(locale, "card-status-means", status = status.as_str()),
        i18n::status_meaning(ticket.status).render(locale),
        false,
    ));
    for m in last.iter().rev().take(2).rev() {
        let mut value = user_text(&m.body, 900);
        if !m.attachments.is_empty() {
            value.push('\n');
            value.push_str(&tr!(
                locale,
                "card-attachments",
                count = m.attachments.len()
            ));
        }
        fields.push((
            format!(
                "{} · {}",
                author_label(m.author).render(locale),
                m.created_at.format("%Y-%m-%d %H:%M UTC")
            ),
            value,
            false,
        ));
    }
    fields.push((
        tr!(locale, "card-next"),
        next_steps(ticket.status).render(locale),
        false,
    ));
    Card {
        title: tr!(
            locale,
            "card-title",
            ticket_id = ticket.id,
            subject = user_text(&ticket.subject, 200)
        ),
        description: String::new(),
        colour: ticket.topic.colour(),
        fields,
        footer: Some(tr!(
            locale,
            "card-footer",
            topic = topic,
            hint = i18n::topic_hint(ticket.topic)
        )),
        timestamp: Some(ticket.updated_at),
    }
    .within_limits()
}

/// One line per ticket for `/ticket list`, newest first, in `locale`.
pub fn ticket_list(tickets: &[Ticket], filter: Option<Status>, page: u32, locale: Locale) -> Card {
    let title = match filter {
        Some(s) => tr!(locale, "list-title-status", status = i18n::status(s)),
        None => tr!(locale, "list-title"),
    };
    let description = if tickets.is_empty() {
        tr!(locale, "list-empty")
    } else {
        tickets
            .iter()
            .map(|t| {
                format!(
                    "**#{}** · {} · {} · {}\n{}",
                    t.id,
                    i18n::topic(t.topic).render(locale),
                    i18n::status(t.status).render(locale),
                    relative_time(t.updated_at),
                    user_text(&t.subject, 120)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Card {
        title,
        description,
        colour: 0x5865F2,
        fields: vec![],
        footer: Some(tr!(locale, "list-footer", page = page)),
        timestamp: None,
    }
    .within_limits()
}

/// The confirmation shown before closing, in `locale`.
pub fn close_confirmation(ticket: &Ticket, locale: Locale) -> Card {
    Card {
        title: tr!(locale, "close-confirm-title", ticket_id = ticket.id),
        description: format!(
            "**{}**\n\n{}",
            user_text(&ticket.subject, 200),
            tr!(locale, "close-confirm-text")
        ),
        colour: ticket.topic.colour(),
        fields: vec![(
            tr!(locale, "close-confirm-status"),
            i18n::status(ticket.status).render(locale),
            true,
        )],
        footer: None,
        timestamp: None,
    }
    .within_limits()
}

/// The limits the modal shows and enforces.
pub const MODAL_SUBJECT_MAX: u16 = ticket::SUBJECT_MAX_CHARS as u16;
pub const MODAL_DESCRIPTION_MAX: u16 = 4000;

/// Modal titles are at most 45 characters.
pub fn open_modal_title(topic: Topic, locale: Locale) -> String {
    truncate(
        &tr!(locale, "open-form-title", topic = i18n::topic(topic)),
        45,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(subject: &str) -> Ticket {
        Ticket {
            id: 42,
            account_id: "acc".into(),
            topic: Topic::Ssl,
            status: Status::Resolved,
            subject: subject.into(),
            property_id: None,
            created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            updated_at: DateTime::from_timestamp(1_700_000_100, 0).unwrap(),
        }
    }

    fn message(body: &str) -> Message {
        Message {
            id: 1,
            ticket_id: 42,
            author: Author::Staff,
            body: body.into(),
            attachments: vec![],
            created_at: DateTime::from_timestamp(1_700_000_050, 0).unwrap(),
        }
    }

    #[test]
    fn hostile_text_is_shown_inert() {
        let s = inert("@everyone <@&1> **bold** [x](http://evil) @here");
        assert!(!s.contains("@everyone"));
        assert!(!s.contains("@here"));
        assert!(!s.contains("<@&1>"));
        assert!(!s.contains("**"));
        assert!(!s.contains("[x](http"));
        assert!(s.contains("\\*\\*bold\\*\\*"));
        assert!(s.contains("@\u{200B}everyone"));
    }

    #[test]
    fn truncation_counts_characters_and_never_leaves_a_dangling_escape() {
        assert_eq!(truncate("héllo", 5), "héllo");
        assert_eq!(truncate("héllo!", 5), "héll…");
        let t = truncate(&inert("****"), 4);
        assert!(!t.ends_with("\\…"), "{t}");
        assert!(t.chars().count() <= 4);
    }

    #[test]
    fn the_card_shows_the_ssl_label_status_meaning_and_next_steps() {
        let card = ticket_card(
            &ticket("Cert"),
            Some("example.com"),
            &[message("Fixed it")],
            Locale::EN_US,
        );
        assert_eq!(card.title, "Ticket #42 · Cert");
        assert_eq!(card.colour, Topic::Ssl.colour());
        let text = format!("{card:?}");
        assert!(text.contains("SSL / Certificates"));
        assert!(text.contains("Marked solved by staff. Replying reopens it."));
        assert!(text.contains("Replying reopens it"));
        assert!(text.contains("example.com"));
        assert!(text.contains("Fixed it"));
    }

    #[test]
    fn cards_stay_within_discords_limits_with_long_and_hostile_input() {
        let subject = "@everyone ".repeat(100);
        let msgs: Vec<Message> = (0..5).map(|_| message(&"*<@1>*".repeat(5000))).collect();
        let card = ticket_card(
            &ticket(&subject),
            Some(&"p".repeat(5000)),
            &msgs,
            Locale::EN_US,
        );
        assert!(card.title.chars().count() <= TITLE_MAX);
        assert!(card.fields.len() <= FIELDS_MAX);
        assert!(card.total_chars() <= EMBED_TOTAL_MAX);
        for (n, v, _) in &card.fields {
            assert!(n.chars().count() <= FIELD_NAME_MAX);
            assert!(v.chars().count() <= FIELD_VALUE_MAX);
            assert!(!v.contains("<@1>"));
        }
        let json = serde_json::to_value(card.to_embed()).unwrap();
        assert!(json["title"].as_str().unwrap().chars().count() <= TITLE_MAX);

        let many: Vec<Ticket> = (0..100).map(|_| ticket(&"x".repeat(200))).collect();
        let list = ticket_list(&many, None, 1, Locale::EN_US);
        assert!(list.description.chars().count() <= DESCRIPTION_MAX);
        assert!(list.total_chars() <= EMBED_TOTAL_MAX);
    }

    #[test]
    fn an_oversized_card_drops_fields_to_fit_the_total() {
        let card = Card {
            title: "t".into(),
            description: "d".repeat(4096),
            colour: 0,
            fields: (0..25)
                .map(|i| (format!("f{i}"), "v".repeat(1024), false))
                .collect(),
            footer: None,
            timestamp: None,
        }
        .within_limits();
        assert!(card.total_chars() <= EMBED_TOTAL_MAX);
    }

    #[test]
    fn modal_titles_fit_45_characters() {
        for t in Topic::ALL {
            for l in Locale::shipped() {
                assert!(open_modal_title(t, l).chars().count() <= 45);
            }
        }
        assert_eq!(
            open_modal_title(Topic::Ssl, Locale::EN_US),
            "New ticket: SSL / Certificates"
        );
    }

    #[test]
    fn format_characters_cannot_spoof_a_notice() {
        // Right-to-left override: shows as "invoiceexe.pdf" unless it is dropped.
        assert_eq!(inert("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        // Isolates, embeddings and marks.
        assert_eq!(
            inert("\u{2067}Refund\u{2069} \u{202B}ok\u{202C}\u{200E}\u{200F}"),
            "Refund ok"
        );
        // Joiners and zero-width spaces inside a mention: no ping, and no hidden characters
        // but the zero-width space inert itself puts after `@`.
        for hidden in [
            "@every\u{200D}one",
            "@\u{200B}everyone",
            "@\u{2060}here",
            "@every\u{FEFF}one",
            "@every\u{00AD}one",
        ] {
            let s = inert(hidden);
            assert!(s == "@\u{200B}everyone" || s == "@\u{200B}here", "{s:?}");
        }
        // Tag characters (an invisible "ADMIN") and interlinear annotations vanish.
        assert_eq!(inert("ok\u{E0041}\u{E0044}\u{E004D}"), "ok");
        assert_eq!(inert("a\u{FFF9}b\u{FFFB}"), "ab");
        // A line separator is a line break, shown as one.
        assert_eq!(inert("a\u{2028}b\u{2029}c"), "a\nb\nc");
    }

    #[test]
    fn list_markers_at_the_start_of_a_line_are_escaped() {
        assert_eq!(inert("1. one\n  22. two"), "1\\. one\n  22\\. two");
        assert_eq!(inert("+ item"), "\\+ item");
        // Elsewhere they are plain text.
        assert_eq!(inert("v1.5 + 2"), "v1.5 + 2");
        // A dropped character does not hide a marker.
        assert_eq!(inert("1\u{200B}. x"), "1\\. x");
    }

    #[test]
    fn truncating_to_nothing_gives_nothing() {
        // Found by the property tests: `max = 0` gave "…", one character over.
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    #[test]
    fn an_empty_field_name_is_filled_because_discord_refuses_it() {
        let card = Card {
            title: "t".into(),
            description: String::new(),
            colour: 0,
            fields: vec![(String::new(), String::new(), false)],
            footer: None,
            timestamp: None,
        }
        .within_limits();
        assert_eq!(
            card.fields,
            vec![("\u{200B}".to_string(), "\u{200B}".to_string(), false)]
        );
    }

    #[test]
    fn the_format_character_table_is_unicodes_cf_category() {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(
                is_format_char(c),
                c.general_category() == GeneralCategory::Format,
                "U+{:04X}",
                c as u32
            );
        }
    }
}

/// Generated hostile text against [`inert`], [`truncate`] and the cards (docs/robustness.md).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Characters escaped wherever they are.
    const ALWAYS_ESCAPED: &str = "\\*_~`|><#-[]():";

    fn hostile_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::sample::select(
                "\\*_~`|><#-[]():@+.!&/=\n\t\r 019everyonhwst"
                    .chars()
                    .collect::<Vec<_>>()
            ),
            2 => prop::sample::select(vec![
                '\u{202E}', '\u{202D}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{200C}',
                '\u{200D}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
                '\u{E0001}', '\u{E0041}', '\u{FFF9}', '\u{2028}', '\u{2029}', '\u{0000}',
                '\u{001B}', '\u{007F}', '\u{0085}', '\u{061C}', '\u{180E}', '\u{1D173}',
                '\u{0301}', '\u{FE0F}', '😀', '…', '＠', '\u{3164}',
            ]),
            1 => any::<char>(),
        ]
    }

    /// Text built from the characters and pieces that matter, and any text at all.
    pub(crate) fn hostile_text(max: usize) -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "@everyone",
            "@here",
            "<@1>",
            "<@!2>",
            "<@&3>",
            "<#4>",
            "</ticket open:5>",
            "<t:6:R>",
            "<:e:7>",
            "<a:e:8>",
            "[x](https://evil.example)",
            "**",
            "```",
            "||",
            "> ",
            ">>> ",
            "# ",
            "-# ",
            "1. ",
            "+ ",
            "- ",
            "\\",
            "\u{202E}",
            "\u{200D}",
            "https://evil.example",
            "\n",
            "@",
            "\u{200B}",
        ]);
        prop_oneof![
            prop::collection::vec(hostile_char(), 0..max)
                .prop_map(|v| v.into_iter().collect::<String>()),
            prop::collection::vec(pieces, 0..max / 4 + 1).prop_map(|v| v.concat()),
            prop::collection::vec(any::<char>(), 0..max)
                .prop_map(|v| v.into_iter().collect::<String>()),
        ]
    }

    /// Checks inert output: every markdown character escaped, every `@` followed by the
    /// zero-width space inert adds (or, when `cut`, ending the text), no other format,
    /// control or separator character, no list marker at the start of a line.
    pub(crate) fn check_inert(out: &str, cut: bool) -> Result<(), String> {
        let chars: Vec<char> = out.chars().collect();
        let mut line_blank = true;
        let mut line_digits = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let escaped = c == '\\';
            let c = if escaped {
                i += 1;
                let Some(&next) = chars.get(i) else {
                    return Err(format!("a lone backslash ends {out:?}"));
                };
                if !ALWAYS_ESCAPED.contains(next) && next != '+' && next != '.' {
                    return Err(format!("`\\{next}` is not an escape inert makes: {out:?}"));
                }
                next
            } else {
                if ALWAYS_ESCAPED.contains(c) {
                    return Err(format!("unescaped `{c}` in {out:?}"));
                }
                if c == '@' {
                    match chars.get(i + 1) {
                        Some('\u{200B}') => i += 1,
                        None if cut => {}
                        _ => return Err(format!("`@` without a zero-width space: {out:?}")),
                    }
                }
                if is_format_char(c) || (c.is_control() && c != '\n' && c != '\t') {
                    return Err(format!("U+{:04X} in {out:?}", c as u32));
                }
                if c == '\u{2028}' || c == '\u{2029}' {
                    return Err(format!("a separator in {out:?}"));
                }
                if (c == '+' && line_blank) || (c == '.' && line_digits) {
                    return Err(format!("a list marker in {out:?}"));
                }
                c
            };
            (line_blank, line_digits) = match c {
                '\n' => (true, false),
                ' ' | '\t' if line_blank => (true, false),
                '0'..='9' if (line_blank || line_digits) && !escaped => (false, true),
                _ => (false, false),
            };
            i += 1;
        }
        Ok(())
    }

    /// What inert keeps of `text`, as the reader sees it.
    fn visible(text: &str) -> String {
        text.chars()
            .filter(|c| matches!(c, '\n' | '\t') || !(c.is_control() || is_format_char(*c)))
            .map(|c| match c {
                '\u{2028}' | '\u{2029}' => '\n',
                c => c,
            })
            .collect()
    }

    /// Inert output with its escapes and added zero-width spaces taken out.
    fn unescape(out: &str) -> String {
        let mut s = String::new();
        let mut it = out.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '\\' => s.extend(it.next()),
                '@' => {
                    s.push('@');
                    it.next_if_eq(&'\u{200B}');
                }
                c => s.push(c),
            }
        }
        s
    }

    /// Checks every Discord limit of a card, on the card and on the embed sent.
    pub(crate) fn check_limits(card: &Card) -> Result<(), String> {
        let n = |s: &str| s.chars().count();
        let fail = |what: &str| Err(format!("{what}: {card:?}"));
        if n(&card.title) > TITLE_MAX {
            return fail("title");
        }
        if n(&card.description) > DESCRIPTION_MAX {
            return fail("description");
        }
        if card.fields.len() > FIELDS_MAX {
            return fail("field count");
        }
        for (name, value, _) in &card.fields {
            if !(1..=FIELD_NAME_MAX).contains(&n(name)) {
                return fail("field name");
            }
            if !(1..=FIELD_VALUE_MAX).contains(&n(value)) {
                return fail("field value");
            }
        }
        if card.footer.as_deref().is_some_and(|f| n(f) > FOOTER_MAX) {
            return fail("footer");
        }
        if card.total_chars() > EMBED_TOTAL_MAX {
            return fail("total");
        }
        let json = serde_json::to_value(card.to_embed()).map_err(|e| e.to_string())?;
        let sent = |key: &str| json[key].as_str().map_or(0, n);
        if sent("title") > TITLE_MAX
            || sent("description") > DESCRIPTION_MAX
            || json["fields"].as_array().map_or(0, Vec::len) > FIELDS_MAX
        {
            return Err(format!("embed: {json}"));
        }
        Ok(())
    }

    /// Checks a card drawn from user text: its limits, and nothing in what Discord is sent
    /// can resolve to a mention.
    pub(crate) fn check_card(card: &Card) -> Result<(), String> {
        check_limits(card)?;
        let text = serde_json::to_value(card.to_embed())
            .map_err(|e| e.to_string())?
            .to_string();
        if text.contains("@everyone") || text.contains("@here") {
            return Err(format!("a mention in {text}"));
        }
        // Every `<` is escaped, but for the bot's own `<t:…:R>` times (which a cut may end).
        let mut parts = text.split('<');
        let mut before = parts.next().unwrap_or_default();
        for after in parts {
            if !before.ends_with('\\') && !after.starts_with(['t', '…']) {
                return Err(format!("an unescaped `<` in {text}"));
            }
            before = after;
        }
        Ok(())
    }

    fn time() -> impl Strategy<Value = DateTime<Utc>> {
        (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
    }

    /// Long text, cheaply: a short unit (backslashes included, so cuts land inside escape
    /// pairs) repeated up to `max` times.
    fn long(max: usize) -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["a", "\\", "a\\", "\\\\", "😀", "*<@1>*", "@everyone "]),
            0..max,
        )
            .prop_map(|(unit, n)| unit.repeat(n))
    }

    fn api_int() -> impl Strategy<Value = i64> {
        prop_oneof![-1..8i64, any::<i64>()]
    }

    fn any_ticket() -> impl Strategy<Value = Ticket> {
        (
            any::<u64>(),
            api_int(),
            api_int(),
            hostile_text(300),
            prop::option::of(hostile_text(300)),
            time(),
        )
            .prop_map(|(id, topic, status, subject, property_id, at)| Ticket {
                id,
                account_id: "acc".into(),
                topic: Topic::from(topic),
                status: Status::from(status),
                subject,
                property_id,
                created_at: at,
                updated_at: at,
            })
    }

    fn any_message() -> impl Strategy<Value = Message> {
        (
            prop_oneof![hostile_text(200), long(3000)],
            0..8usize,
            time(),
        )
            .prop_map(|(body, files, at)| Message {
                id: 1,
                ticket_id: 1,
                author: Author::Customer,
                body,
                attachments: (0..files)
                    .map(|_| crate::ticket::api::Attachment {
                        filename: "f".into(),
                        content_type: "text/plain".into(),
                        size: 1,
                    })
                    .collect(),
                created_at: at,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn inert_text_has_no_markdown_mention_or_format_character(text in hostile_text(200)) {
            let out = inert(&text);
            if let Err(e) = check_inert(&out, false) {
                return Err(TestCaseError::fail(e));
            }
            // And it reads as typed: only the dropped characters are gone.
            prop_assert_eq!(unescape(&out), visible(&text));
        }

        #[test]
        fn user_text_keeps_its_limit_and_its_escapes(text in hostile_text(200), max in 0..250usize) {
            let out = user_text(&text, max);
            prop_assert!(out.chars().count() <= max);
            let body = out.strip_suffix('…').filter(|_| out != inert(&text)).unwrap_or(&out);
            if let Err(e) = check_inert(body, true) {
                return Err(TestCaseError::fail(e));
            }
        }

        #[test]
        fn truncate_cuts_to_max_characters_at_a_prefix(text in "[a\\\\é…]{0,40}", max in 0..50usize) {
            let out = truncate(&text, max);
            prop_assert!(out.chars().count() <= max, "{:?}", out);
            if text.chars().count() <= max {
                prop_assert_eq!(&out, &text);
            } else if max > 0 {
                // A prefix and an ellipsis, the ellipsis never escaped by a lone backslash.
                let kept = out.strip_suffix('…').unwrap_or("?");
                prop_assert!(text.starts_with(kept), "{:?}", out);
                let backslashes = kept.chars().rev().take_while(|c| *c == '\\').count();
                prop_assert!(backslashes % 2 == 0, "{:?}", out);
            }
        }

        #[test]
        fn any_card_is_cut_to_discords_limits(
            title in long(300),
            description in long(5000),
            fields in prop::collection::vec((long(300), long(1200), any::<bool>()), 0..40),
            footer in prop::option::of(long(2500)),
        ) {
            let card = Card { title, description, colour: 0, fields, footer, timestamp: None }
                .within_limits();
            if let Err(e) = check_limits(&card) {
                return Err(TestCaseError::fail(e));
            }
        }

        #[test]
        fn ticket_cards_hold_every_limit_and_resolve_no_mention(
            ticket in any_ticket(),
            property in prop::option::of(hostile_text(300)),
            messages in prop::collection::vec(any_message(), 0..6),
        ) {
            for card in [
                ticket_card(&ticket, property.as_deref(), &messages, Locale::EN_US),
                close_confirmation(&ticket, Locale::EN_US),
            ] {
                if let Err(e) = check_card(&card) {
                    return Err(TestCaseError::fail(e));
                }
            }
        }

        #[test]
        fn ticket_lists_hold_every_limit(
            tickets in prop::collection::vec(any_ticket(), 0..30),
            filter in prop::option::of(any::<i64>()),
            page in any::<u32>(),
        ) {
            let card = ticket_list(&tickets, filter.map(Status::from), page, Locale::EN_US);
            if let Err(e) = check_card(&card) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}
