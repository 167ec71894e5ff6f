//! The ticket model: Paradarum's topics, statuses and lifecycle rules as pure code.
//!
//! This is the one truth about tickets, transcribed from the seed
//! (`ticket-categories-and-statuses.txt`). The API client, the sandbox and the Discord
//! commands all decide with these functions, so a rule changes in one place. Nothing here
//! does I/O and nothing here imports another module of the crate.
//!
//! There is no priority: not as a field, an option or a hidden default. Tickets are
//! categorised by [`Topic`] alone.

pub mod api;

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest subject the API accepts, in characters.
pub const SUBJECT_MAX_CHARS: usize = 200;
/// Longest message body the API accepts, in characters.
pub const MESSAGE_MAX_CHARS: usize = 20_000;
/// Longest reason for a topic change the API stores, in characters.
pub const REASON_MAX_CHARS: usize = 1000;
/// Longest reason a moderator may give when escalating (the bot adds who escalated).
pub const ESCALATION_REASON_MAX_CHARS: usize = 500;
/// Longest staff name shown with a staff reply (`staffName`), in characters after trimming.
pub const STAFF_NAME_MAX_CHARS: usize = 80;
/// Most attachments on one message.
pub const ATTACHMENTS_MAX: usize = 5;
/// Largest single attachment, in bytes (10 MiB).
pub const ATTACHMENT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// What a ticket is about. Serialized as its API integer.
///
/// An integer this build does not know (the API may add topics) is kept as
/// [`Topic::Unknown`] instead of failing the whole ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum Topic {
    General,
    Networking,
    Rules,
    Billing,
    /// Shown as "SSL / Certificates" on screen; the enum name is simply SSL.
    Ssl,
    Performance,
    Unknown(i64),
}

impl Topic {
    /// The six known topics in API order, the order every topic list is shown in.
    pub const ALL: [Topic; 6] = [
        Topic::General,
        Topic::Networking,
        Topic::Rules,
        Topic::Billing,
        Topic::Ssl,
        Topic::Performance,
    ];

    /// The topics a community moderator may move a ticket to.
    pub const ESCALATION_TARGETS: [Topic; 2] = [Topic::Billing, Topic::Ssl];

    /// The integer the API uses.
    pub const fn api_value(self) -> i64 {
        match self {
            Topic::General => 0,
            Topic::Networking => 1,
            Topic::Rules => 2,
            Topic::Billing => 3,
            Topic::Ssl => 4,
            Topic::Performance => 5,
            Topic::Unknown(v) => v,
        }
    }

    /// The known topic for an API integer, if it is one.
    pub const fn from_api(value: i64) -> Option<Topic> {
        match value {
            0 => Some(Topic::General),
            1 => Some(Topic::Networking),
            2 => Some(Topic::Rules),
            3 => Some(Topic::Billing),
            4 => Some(Topic::Ssl),
            5 => Some(Topic::Performance),
            _ => None,
        }
    }

    pub const fn is_known(self) -> bool {
        !matches!(self, Topic::Unknown(_))
    }

    /// The enum name as the API documents it (`SSL` for topic 4).
    pub fn name(self) -> String {
        match self {
            Topic::General => "General".into(),
            Topic::Networking => "Networking".into(),
            Topic::Rules => "Rules".into(),
            Topic::Billing => "Billing".into(),
            Topic::Ssl => "SSL".into(),
            Topic::Performance => "Performance".into(),
            Topic::Unknown(v) => format!("Unknown({v})"),
        }
    }

    /// The label the Paradarum panel shows, which users recognise.
    pub fn label(self) -> String {
        match self {
            Topic::Ssl => "SSL / Certificates".into(),
            Topic::Unknown(v) => format!("Unknown topic ({v})"),
            known => known.name(),
        }
    }

    /// One line on what the topic is for, from the seed's "Use it for" column.
    pub const fn hint(self) -> &'static str {
        match self {
            Topic::General => "Anything that doesn't fit another category.",
            Topic::Networking => "Connectivity, routing, origin reachability, DNS-related issues.",
            Topic::Rules => "Cache rules, header rules, and rule-matching behavior.",
            Topic::Billing => "Invoices, plans, and account charges.",
            Topic::Ssl => "TLS certificates and HTTPS provisioning.",
            Topic::Performance => "Latency, cache hit ratio, and throughput questions.",
            Topic::Unknown(_) => "A topic this version of the bot does not know yet.",
        }
    }

    /// The badge colour (0xRRGGBB) used for the topic's embeds. Distinct per topic;
    /// grey for a topic the bot does not know.
    pub const fn colour(self) -> u32 {
        match self {
            Topic::General => 0x5865F2,     // blurple
            Topic::Networking => 0x3BA55C,  // green
            Topic::Rules => 0xFAA61A,       // amber
            Topic::Billing => 0xEB459E,     // pink
            Topic::Ssl => 0x00A8FC,         // cyan
            Topic::Performance => 0xED4245, // red
            Topic::Unknown(_) => 0x747F8D,  // grey
        }
    }
}

impl From<i64> for Topic {
    fn from(value: i64) -> Self {
        Topic::from_api(value).unwrap_or(Topic::Unknown(value))
    }
}

impl From<Topic> for i64 {
    fn from(topic: Topic) -> Self {
        topic.api_value()
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Where a ticket is in its lifecycle. Serialized as its API integer; an unknown integer
/// is kept as [`Status::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum Status {
    Open,
    InProgress,
    Resolved,
    Closed,
    Unknown(i64),
}

/// Who may move a ticket into a status, per the seed's "Who sets it" column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setter {
    /// Set by the system: on create, and when a customer replies to a Resolved ticket.
    System,
    /// Only Paradarum staff.
    Staff,
    /// The customer on their own ticket, or staff.
    OwnerOrStaff,
    /// A status the bot does not know; it never sets one.
    Nobody,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
    ];

    pub const fn api_value(self) -> i64 {
        match self {
            Status::Open => 0,
            Status::InProgress => 1,
            Status::Resolved => 2,
            Status::Closed => 3,
            Status::Unknown(v) => v,
        }
    }

    pub const fn from_api(value: i64) -> Option<Status> {
        match value {
            0 => Some(Status::Open),
            1 => Some(Status::InProgress),
            2 => Some(Status::Resolved),
            3 => Some(Status::Closed),
            _ => None,
        }
    }

    pub const fn is_known(self) -> bool {
        !matches!(self, Status::Unknown(_))
    }

    pub fn label(self) -> String {
        match self {
            Status::Open => "Open".into(),
            Status::InProgress => "In Progress".into(),
            Status::Resolved => "Resolved".into(),
            Status::Closed => "Closed".into(),
            Status::Unknown(v) => format!("Unknown status ({v})"),
        }
    }

    /// What the status means, in the seed's words.
    pub const fn meaning(self) -> &'static str {
        match self {
            Status::Open => "Newly created or reopened; awaiting handling.",
            Status::InProgress => "Support is actively working on it.",
            Status::Resolved => "Marked solved by staff. Replying reopens it.",
            Status::Closed => "Finished and locked — no further messages.",
            Status::Unknown(_) => "A status this version of the bot does not know yet.",
        }
    }

    /// Who sets the status, in the seed's words.
    pub const fn who_sets_it(self) -> &'static str {
        match self {
            Status::Open => {
                "Set automatically on create; also set when a Resolved ticket is reopened."
            }
            Status::InProgress | Status::Resolved => "Staff.",
            Status::Closed => "You (on your own ticket) or staff.",
            Status::Unknown(_) => "Unknown.",
        }
    }

    pub const fn setter(self) -> Setter {
        match self {
            Status::Open => Setter::System,
            Status::InProgress | Status::Resolved => Setter::Staff,
            Status::Closed => Setter::OwnerOrStaff,
            Status::Unknown(_) => Setter::Nobody,
        }
    }

    /// Closed is final: no replies, no status or topic changes.
    pub const fn is_locked(self) -> bool {
        matches!(self, Status::Closed)
    }
}

impl From<i64> for Status {
    fn from(value: i64) -> Self {
        Status::from_api(value).unwrap_or(Status::Unknown(value))
    }
}

impl From<Status> for i64 {
    fn from(status: Status) -> Self {
        status.api_value()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Who wrote a message on a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Author {
    Customer,
    Staff,
    System,
    /// An author kind this build does not know.
    #[serde(other)]
    Unknown,
}

impl Author {
    pub const fn as_str(self) -> &'static str {
        match self {
            Author::Customer => "customer",
            Author::Staff => "staff",
            Author::System => "system",
            Author::Unknown => "unknown",
        }
    }
}

/// Why a lifecycle rule refused a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("the ticket is Closed: Closed is final and locked")]
    Closed,
    #[error("only staff may set a ticket to {0}")]
    StaffOnly(Status),
    #[error(
        "{0} cannot be set directly: Open comes only from create or reopen, Closed only from close"
    )]
    NotDirectlySettable(Status),
    #[error("the status is not one this version knows")]
    UnknownStatus,
    #[error("the topic is not one of the six Paradarum topics")]
    UnknownTopic,
}

/// The status every new ticket starts in.
pub const fn initial_status() -> Status {
    Status::Open
}

/// A customer may close their own ticket from any status but Closed.
pub fn check_close(current: Status) -> Result<(), RuleError> {
    if current.is_locked() {
        Err(RuleError::Closed)
    } else {
        Ok(())
    }
}

/// The status a ticket has after a reply by `author`: a customer's reply reopens a
/// Resolved ticket; nobody may reply to a Closed one.
pub fn status_after_reply(current: Status, author: Author) -> Result<Status, RuleError> {
    match (current, author) {
        (Status::Closed, _) => Err(RuleError::Closed),
        (Status::Resolved, Author::Customer) => Ok(Status::Open),
        (other, _) => Ok(other),
    }
}

/// Whether a reply by a customer to a ticket in `current` would reopen it.
pub fn reply_reopens(current: Status) -> bool {
    matches!(
        status_after_reply(current, Author::Customer),
        Ok(Status::Open)
    ) && current != Status::Open
}

/// What a status change asked of the API amounts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change<T> {
    /// The ticket already has it: nothing changes and no event is emitted.
    Unchanged,
    To(T),
}

/// Checks a staff request to set `target` on a ticket in `current`. Only In Progress and
/// Resolved may be set this way; Closed tickets are locked.
pub fn check_staff_status(
    current: Status,
    target: Status,
    is_staff: bool,
) -> Result<Change<Status>, RuleError> {
    match target {
        Status::InProgress | Status::Resolved => {}
        Status::Open | Status::Closed => return Err(RuleError::NotDirectlySettable(target)),
        Status::Unknown(_) => return Err(RuleError::UnknownStatus),
    }
    if !is_staff {
        return Err(RuleError::StaffOnly(target));
    }
    if current.is_locked() {
        return Err(RuleError::Closed);
    }
    Ok(if current == target {
        Change::Unchanged
    } else {
        Change::To(target)
    })
}

/// Checks moving a ticket in `status` from topic `from` to `to`.
pub fn check_topic_change(
    status: Status,
    from: Topic,
    to: Topic,
) -> Result<Change<Topic>, RuleError> {
    if !to.is_known() {
        return Err(RuleError::UnknownTopic);
    }
    if status.is_locked() {
        return Err(RuleError::Closed);
    }
    Ok(if from == to {
        Change::Unchanged
    } else {
        Change::To(to)
    })
}

/// Why a piece of ticket text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{what} must not be empty")]
    Empty { what: &'static str },
    #[error("{what} is {len} characters; the most is {max}")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{what} must not contain control characters")]
    ControlCharacters { what: &'static str },
}

fn check_text(what: &'static str, text: &str, max: usize) -> Result<(), TextError> {
    if text.trim().is_empty() {
        return Err(TextError::Empty { what });
    }
    let len = text.chars().count();
    if len > max {
        return Err(TextError::TooLong { what, len, max });
    }
    Ok(())
}

/// A subject: not blank, at most [`SUBJECT_MAX_CHARS`] characters.
pub fn validate_subject(subject: &str) -> Result<(), TextError> {
    check_text("the subject", subject, SUBJECT_MAX_CHARS)
}

/// A message body: not blank, at most [`MESSAGE_MAX_CHARS`] characters.
pub fn validate_message(body: &str) -> Result<(), TextError> {
    check_text("the message", body, MESSAGE_MAX_CHARS)
}

/// A reason for a topic change: not blank, at most [`REASON_MAX_CHARS`] characters.
pub fn validate_reason(reason: &str) -> Result<(), TextError> {
    check_text("the reason", reason, REASON_MAX_CHARS)
}

/// The name a staff reply is signed with, trimmed: 1–[`STAFF_NAME_MAX_CHARS`] characters
/// and no control characters (it is shown on one line, next to the staff's words).
pub fn validate_staff_name(name: &str) -> Result<&str, TextError> {
    let what = "the staff name";
    let name = name.trim();
    check_text(what, name, STAFF_NAME_MAX_CHARS)?;
    if name.chars().any(char::is_control) {
        return Err(TextError::ControlCharacters { what });
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip_through_their_api_integers() {
        for (i, topic) in Topic::ALL.iter().enumerate() {
            assert_eq!(topic.api_value(), i as i64);
            assert_eq!(Topic::from(i as i64), *topic);
            let json = serde_json::to_string(topic).unwrap();
            assert_eq!(json, i.to_string());
            assert_eq!(serde_json::from_str::<Topic>(&json).unwrap(), *topic);
        }
    }

    #[test]
    fn topic_four_is_named_ssl_but_labelled_ssl_certificates() {
        assert_eq!(Topic::Ssl.api_value(), 4);
        assert_eq!(Topic::Ssl.name(), "SSL");
        assert_eq!(Topic::Ssl.label(), "SSL / Certificates");
    }

    #[test]
    fn panel_labels_are_exactly_the_seeds_in_api_order() {
        let labels: Vec<String> = Topic::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(
            labels,
            [
                "General",
                "Networking",
                "Rules",
                "Billing",
                "SSL / Certificates",
                "Performance"
            ]
        );
    }

    #[test]
    fn every_topic_has_a_distinct_badge_colour() {
        let mut colours: Vec<u32> = Topic::ALL.iter().map(|t| t.colour()).collect();
        colours.push(Topic::Unknown(9).colour());
        let mut dedup = colours.clone();
        dedup.sort_unstable();
        dedup.dedup();
        assert_eq!(dedup.len(), colours.len());
    }

    #[test]
    fn an_unknown_topic_integer_is_kept_and_shown_as_unknown() {
        let topic: Topic = serde_json::from_str("9").unwrap();
        assert_eq!(topic, Topic::Unknown(9));
        assert!(!topic.is_known());
        assert_eq!(topic.label(), "Unknown topic (9)");
        assert_eq!(serde_json::to_string(&topic).unwrap(), "9");
        assert_eq!(Topic::from(-1), Topic::Unknown(-1));
    }

    #[test]
    fn statuses_round_trip_with_the_seeds_meanings() {
        let expected = [
            (0, "Open", "Newly created or reopened; awaiting handling."),
            (1, "In Progress", "Support is actively working on it."),
            (
                2,
                "Resolved",
                "Marked solved by staff. Replying reopens it.",
            ),
            (3, "Closed", "Finished and locked — no further messages."),
        ];
        for (status, (value, label, meaning)) in Status::ALL.iter().zip(expected) {
            assert_eq!(status.api_value(), value);
            assert_eq!(Status::from(value), *status);
            assert_eq!(status.label(), label);
            assert_eq!(status.meaning(), meaning);
            assert_eq!(serde_json::to_string(status).unwrap(), value.to_string());
        }
        assert_eq!(Status::from(7), Status::Unknown(7));
        assert_eq!(Status::Unknown(7).label(), "Unknown status (7)");
    }

    #[test]
    fn who_sets_each_status_follows_the_seed() {
        assert_eq!(Status::Open.setter(), Setter::System);
        assert_eq!(Status::InProgress.setter(), Setter::Staff);
        assert_eq!(Status::Resolved.setter(), Setter::Staff);
        assert_eq!(Status::Closed.setter(), Setter::OwnerOrStaff);
        assert_eq!(
            Status::Closed.who_sets_it(),
            "You (on your own ticket) or staff."
        );
    }

    #[test]
    fn a_new_ticket_is_open() {
        assert_eq!(initial_status(), Status::Open);
    }

    #[test]
    fn a_customer_may_close_from_any_status_but_closed() {
        for s in [Status::Open, Status::InProgress, Status::Resolved] {
            assert_eq!(check_close(s), Ok(()));
        }
        assert_eq!(check_close(Status::Closed), Err(RuleError::Closed));
    }

    #[test]
    fn a_customer_reply_reopens_a_resolved_ticket_and_nothing_else() {
        assert_eq!(
            status_after_reply(Status::Resolved, Author::Customer),
            Ok(Status::Open)
        );
        assert_eq!(
            status_after_reply(Status::Resolved, Author::Staff),
            Ok(Status::Resolved)
        );
        assert_eq!(
            status_after_reply(Status::InProgress, Author::Customer),
            Ok(Status::InProgress)
        );
        assert_eq!(
            status_after_reply(Status::Open, Author::Customer),
            Ok(Status::Open)
        );
        assert!(reply_reopens(Status::Resolved));
        assert!(!reply_reopens(Status::Open));
        assert!(!reply_reopens(Status::InProgress));
        assert!(!reply_reopens(Status::Closed));
    }

    #[test]
    fn closed_is_final_for_replies_status_and_topic() {
        for author in [Author::Customer, Author::Staff, Author::System] {
            assert_eq!(
                status_after_reply(Status::Closed, author),
                Err(RuleError::Closed)
            );
        }
        assert_eq!(
            check_staff_status(Status::Closed, Status::Resolved, true),
            Err(RuleError::Closed)
        );
        assert_eq!(
            check_topic_change(Status::Closed, Topic::General, Topic::Billing),
            Err(RuleError::Closed)
        );
    }

    #[test]
    fn only_staff_set_in_progress_and_resolved() {
        for target in [Status::InProgress, Status::Resolved] {
            assert_eq!(
                check_staff_status(Status::Open, target, false),
                Err(RuleError::StaffOnly(target))
            );
            assert_eq!(
                check_staff_status(Status::Open, target, true),
                Ok(Change::To(target))
            );
        }
        assert_eq!(
            check_staff_status(Status::Resolved, Status::Resolved, true),
            Ok(Change::Unchanged)
        );
    }

    #[test]
    fn open_and_closed_cannot_be_set_as_a_status() {
        for target in [Status::Open, Status::Closed] {
            assert_eq!(
                check_staff_status(Status::InProgress, target, true),
                Err(RuleError::NotDirectlySettable(target))
            );
        }
        assert_eq!(
            check_staff_status(Status::Open, Status::Unknown(9), true),
            Err(RuleError::UnknownStatus)
        );
    }

    #[test]
    fn the_same_topic_is_no_change_and_unknown_topics_are_refused() {
        assert_eq!(
            check_topic_change(Status::Open, Topic::Billing, Topic::Billing),
            Ok(Change::Unchanged)
        );
        assert_eq!(
            check_topic_change(Status::Resolved, Topic::General, Topic::Ssl),
            Ok(Change::To(Topic::Ssl))
        );
        assert_eq!(
            check_topic_change(Status::Open, Topic::General, Topic::Unknown(6)),
            Err(RuleError::UnknownTopic)
        );
    }

    #[test]
    fn moderators_escalate_only_to_billing_and_ssl() {
        assert_eq!(Topic::ESCALATION_TARGETS, [Topic::Billing, Topic::Ssl]);
        let values: Vec<i64> = Topic::ESCALATION_TARGETS
            .iter()
            .map(|t| t.api_value())
            .collect();
        assert_eq!(values, [3, 4]);
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        assert!(validate_subject(&"é".repeat(200)).is_ok());
        assert_eq!(
            validate_subject(&"é".repeat(201)),
            Err(TextError::TooLong {
                what: "the subject",
                len: 201,
                max: 200
            })
        );
        assert_eq!(
            validate_subject("   "),
            Err(TextError::Empty {
                what: "the subject"
            })
        );
        assert!(validate_message(&"a".repeat(20_000)).is_ok());
        assert!(validate_message(&"a".repeat(20_001)).is_err());
        assert!(validate_message("").is_err());
        assert!(validate_reason(&"r".repeat(1000)).is_ok());
        assert!(validate_reason(&"r".repeat(1001)).is_err());
    }

    #[test]
    fn staff_names_are_trimmed_one_line_and_at_most_80_characters() {
        assert_eq!(validate_staff_name("  Ana P.  "), Ok("Ana P."));
        assert_eq!(
            validate_staff_name(&"é".repeat(80)),
            Ok("é".repeat(80).as_str())
        );
        assert_eq!(
            validate_staff_name(&format!(" {} ", "é".repeat(81))),
            Err(TextError::TooLong {
                what: "the staff name",
                len: 81,
                max: 80
            })
        );
        assert!(matches!(
            validate_staff_name(" \t "),
            Err(TextError::Empty { .. })
        ));
        for bad in ["Ana\nP.", "Ana\u{7}", "A\u{85}B", "A\rB"] {
            assert_eq!(
                validate_staff_name(bad),
                Err(TextError::ControlCharacters {
                    what: "the staff name"
                }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn authors_serialize_in_lowercase_and_tolerate_new_kinds() {
        assert_eq!(serde_json::to_string(&Author::Staff).unwrap(), "\"staff\"");
        assert_eq!(
            serde_json::from_str::<Author>("\"bot\"").unwrap(),
            Author::Unknown
        );
    }
}
