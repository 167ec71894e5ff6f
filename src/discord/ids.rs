//! Component and modal custom ids. They carry everything a handler needs (action, ticket
//! id, the original interaction), so a button works after a restart with no in-memory
//! state. Discord allows 100 characters; anything longer is refused at encoding.

use crate::ticket::api::TicketId;
use crate::ticket::{Status, Topic};

pub const CUSTOM_ID_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomId {
    /// The `/ticket open` modal; `origin` is the slash command's interaction id, the
    /// idempotency key of the ticket it creates (a resubmitted modal makes no second one).
    OpenModal {
        origin: u64,
        topic: Topic,
        property: Option<String>,
    },
    /// The `/ticket reply` modal; `origin` finds a pending attachment, if any.
    ReplyModal { ticket: TicketId, origin: u64 },
    /// The `/ticket link` modal.
    LinkModal,
    /// Confirm closing.
    Close(TicketId),
    /// Cancel closing.
    KeepOpen(TicketId),
    /// A page of `/ticket list`.
    ListPage {
        status: Option<Status>,
        page: u32,
        cursor: String,
    },
    /// "Reply" under a DM about a ticket: opens the reply modal.
    ReplyButton(TicketId),
}

impl CustomId {
    /// The text form, or `None` when it would exceed Discord's 100 characters.
    pub fn encode(&self) -> Option<String> {
        let s = match self {
            CustomId::OpenModal {
                origin,
                topic,
                property,
            } => format!(
                "t:open:{origin}:{}:{}",
                topic.api_value(),
                property.as_deref().unwrap_or("-")
            ),
            CustomId::ReplyModal { ticket, origin } => format!("t:reply:{ticket}:{origin}"),
            CustomId::LinkModal => "t:link".to_string(),
            CustomId::Close(t) => format!("t:close:{t}"),
            CustomId::KeepOpen(t) => format!("t:keep:{t}"),
            CustomId::ListPage {
                status,
                page,
                cursor,
            } => format!(
                "t:list:{}:{page}:{cursor}",
                status.map_or("-".to_string(), |s| s.api_value().to_string())
            ),
            CustomId::ReplyButton(t) => format!("t:dmreply:{t}"),
        };
        (s.len() <= CUSTOM_ID_MAX).then_some(s)
    }

    /// Reads a custom id; anything malformed or foreign is `None` (and ignored).
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(5, ':');
        if parts.next()? != "t" {
            return None;
        }
        let kind = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        let id = |i: usize| rest.get(i).and_then(|v| v.parse::<u64>().ok());
        Some(match (kind, rest.len()) {
            ("open", 3) => {
                let topic = Topic::from_api(rest[1].parse().ok()?)?;
                let property = match rest[2] {
                    "-" => None,
                    p if !p.is_empty() => Some(p.to_string()),
                    _ => return None,
                };
                CustomId::OpenModal {
                    origin: id(0)?,
                    topic,
                    property,
                }
            }
            ("reply", 2) => CustomId::ReplyModal {
                ticket: id(0)?,
                origin: id(1)?,
            },
            ("link", 0) => CustomId::LinkModal,
            ("close", 1) => CustomId::Close(id(0)?),
            ("keep", 1) => CustomId::KeepOpen(id(0)?),
            ("dmreply", 1) => CustomId::ReplyButton(id(0)?),
            ("list", 3) => CustomId::ListPage {
                status: match rest[0] {
                    "-" => None,
                    v => Some(Status::from_api(v.parse().ok()?)?),
                },
                page: rest[1].parse().ok()?,
                cursor: rest[2].to_string(),
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_custom_id_round_trips() {
        let all = [
            CustomId::OpenModal {
                origin: u64::MAX,
                topic: Topic::Ssl,
                property: Some("prop_abc".into()),
            },
            CustomId::OpenModal {
                origin: 1,
                topic: Topic::General,
                property: None,
            },
            CustomId::ReplyModal {
                ticket: 9,
                origin: 1234567890123456789,
            },
            CustomId::LinkModal,
            CustomId::Close(5),
            CustomId::KeepOpen(5),
            CustomId::ListPage {
                status: Some(Status::Resolved),
                page: 3,
                cursor: "MTIzOjQ1".into(),
            },
            CustomId::ListPage {
                status: None,
                page: 1,
                cursor: "a:b".into(),
            },
            CustomId::ReplyButton(77),
        ];
        for id in all {
            let text = id.encode().unwrap();
            assert!(text.len() <= CUSTOM_ID_MAX);
            assert_eq!(CustomId::parse(&text), Some(id), "{text}");
        }
    }

    #[test]
    fn malformed_or_foreign_ids_are_ignored() {
        for s in [
            "",
            "t",
            "x:close:1",
            "t:close",
            "t:close:abc",
            "t:close:1:2",
            "t:open:1:6:-",
            "t:open:1:4:",
            "t:list:9:1:c",
            "t:nuke:1",
        ] {
            assert_eq!(CustomId::parse(s), None, "{s}");
        }
    }

    #[test]
    fn ids_over_100_characters_are_refused() {
        let long = CustomId::OpenModal {
            origin: 1,
            topic: Topic::Billing,
            property: Some("p".repeat(100)),
        };
        assert_eq!(long.encode(), None);
    }
}
