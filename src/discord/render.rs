//! What the bot shows: ticket cards and lists as plain data ([`Card`]), turned into Discord
//! embeds at the edge. Pure, so the limits and the hostile-input cases are unit-tested.
//!
//! Text that came from users (subjects, messages) always passes through [`inert`]: markdown
//! and mentions are neutralised, and it is cut to Discord's limits.

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;

use crate::ticket::api::{Message, Ticket};
use crate::ticket::{self, Author, Status, Topic};

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
/// links show as text. Every message the bot sends also sets allowed mentions to none.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '-' | '[' | ']' | '(' | ')'
            | ':' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200B}"),
            // Control characters other than newlines and tabs are dropped.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut. Never splits an
/// escape pair produced by [`inert`].
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
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

fn author_label(a: Author) -> &'static str {
    match a {
        Author::Customer => "You",
        Author::Staff => "Paradarum support",
        Author::System => "System",
        Author::Unknown => "Someone",
    }
}

/// What the customer should expect next, by status.
pub fn next_steps(status: Status) -> &'static str {
    match status {
        Status::Open => "Support will pick it up soon. Use `/ticket reply` to add details.",
        Status::InProgress => "Support is working on it. Use `/ticket reply` to add details.",
        Status::Resolved => {
            "Support marked it solved. Replying reopens it; `/ticket close` ends it for good."
        }
        Status::Closed => "This ticket is Closed: it is final and takes no more messages.",
        Status::Unknown(_) => "Use `/ticket status` to follow it.",
    }
}

/// The ticket card: id, topic badge (colour and label), status with its meaning, property,
/// last update, the last messages and what happens next.
pub fn ticket_card(ticket: &Ticket, property: Option<&str>, last: &[Message]) -> Card {
    let mut fields = vec![
        ("Topic".to_string(), ticket.topic.label(), true),
        ("Status".to_string(), ticket.status.label(), true),
        (
            "Updated".to_string(),
            relative_time(ticket.updated_at),
            true,
        ),
    ];
    if let Some(p) = property.or(ticket.property_id.as_deref()) {
        fields.push(("Property".into(), user_text(p, 200), true));
    }
    fields.push((
        format!("What {} means", ticket.status.label()),
        ticket.status.meaning().to_string(),
        false,
    ));
    for m in last.iter().rev().take(2).rev() {
        let mut value = user_text(&m.body, 900);
        if !m.attachments.is_empty() {
            value.push_str(&format!("\n📎 {} attachment(s)", m.attachments.len()));
        }
        fields.push((
            format!(
                "{} · {}",
                author_label(m.author),
                m.created_at.format("%Y-%m-%d %H:%M UTC")
            ),
            value,
            false,
        ));
    }
    fields.push(("Next".into(), next_steps(ticket.status).to_string(), false));
    Card {
        title: format!(
            "Ticket #{} · {}",
            ticket.id,
            user_text(&ticket.subject, 200)
        ),
        description: String::new(),
        colour: ticket.topic.colour(),
        fields,
        footer: Some(format!(
            "Topic: {} · {}",
            ticket.topic.label(),
            ticket.topic.hint()
        )),
        timestamp: Some(ticket.updated_at),
    }
    .within_limits()
}

/// One line per ticket for `/ticket list`, newest first.
pub fn ticket_list(tickets: &[Ticket], filter: Option<Status>, page: u32) -> Card {
    let title = match filter {
        Some(s) => format!("Your {} tickets", s.label()),
        None => "Your tickets".to_string(),
    };
    let description = if tickets.is_empty() {
        "No tickets here. Open one with `/ticket open`.".to_string()
    } else {
        tickets
            .iter()
            .map(|t| {
                format!(
                    "**#{}** · {} · {} · {}\n{}",
                    t.id,
                    t.topic.label(),
                    t.status.label(),
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
        footer: Some(format!("Page {page} · newest first")),
        timestamp: None,
    }
    .within_limits()
}

/// The confirmation shown before closing.
pub fn close_confirmation(ticket: &Ticket) -> Card {
    Card {
        title: format!("Close ticket #{}?", ticket.id),
        description: format!(
            "**{}**\n\nClosing is final: a Closed ticket is locked and takes no more messages. \
             (Resolved is different: support marks a ticket Resolved, and a reply reopens it.)",
            user_text(&ticket.subject, 200)
        ),
        colour: ticket.topic.colour(),
        fields: vec![("Status now".into(), ticket.status.label(), true)],
        footer: None,
        timestamp: None,
    }
    .within_limits()
}

/// The limits the modal shows and enforces.
pub const MODAL_SUBJECT_MAX: u16 = ticket::SUBJECT_MAX_CHARS as u16;
pub const MODAL_DESCRIPTION_MAX: u16 = 4000;

/// Modal titles are at most 45 characters.
pub fn open_modal_title(topic: Topic) -> String {
    truncate(&format!("New ticket: {}", topic.label()), 45)
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
        let card = ticket_card(&ticket("Cert"), Some("example.com"), &[message("Fixed it")]);
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
        let card = ticket_card(&ticket(&subject), Some(&"p".repeat(5000)), &msgs);
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
        let list = ticket_list(&many, None, 1);
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
            assert!(open_modal_title(t).chars().count() <= 45);
        }
        assert_eq!(
            open_modal_title(Topic::Ssl),
            "New ticket: SSL / Certificates"
        );
    }
}
