//! Component and modal custom ids. They carry everything a handler needs (action, ticket
//! id, the original interaction), so a button works after a restart with no in-memory
//! state. Discord allows 100 characters; anything longer is refused at encoding.

use crate::ticket::api::{MessageId, TicketId};
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
    /// The `/ticket reply` modal; `origin` (the interaction that showed it) is the
    /// reply's idempotency key and finds its attachment, which is recorded just after the
    /// form is shown when `attachment` is set.
    ReplyModal {
        ticket: TicketId,
        origin: u64,
        attachment: bool,
    },
    /// The `/ticket link` modal.
    LinkModal,
    /// "Close ticket": asks for confirmation (a DM's button, and older confirmations).
    Close(TicketId),
    /// The confirmation's "Close ticket": closes.
    CloseConfirm(TicketId),
    /// Cancel closing.
    KeepOpen(TicketId),
    /// "Try again" after an unknown outcome: resends the kept submission of interaction
    /// `origin` under the same idempotency key.
    Retry(u64),
    /// A page of `/ticket list`.
    ListPage {
        status: Option<Status>,
        page: u32,
        cursor: String,
    },
    /// "Reply" under a DM about a ticket: opens the reply modal.
    ReplyButton(TicketId),
    /// A staff notice's *View*: the ticket's card for the presser.
    StaffView(TicketId),
    /// A staff notice's *Start*; `seen` is the status the notice showed (the API refuses
    /// the change if the ticket has moved on since).
    StaffStart { ticket: TicketId, seen: Status },
    /// A staff notice's *Resolve*, as `StaffStart`.
    StaffResolve { ticket: TicketId, seen: Status },
    /// A staff notice's *Reply*: the staff reply form.
    StaffReply(TicketId),
    /// The staff reply form; `origin` (the press that showed it) is the reply's
    /// idempotency key.
    StaffReplyModal { ticket: TicketId, origin: u64 },
    /// "Read all" under a staff reply's DM whose words were cut: the message's first page,
    /// in a new message only the presser sees.
    ReadAll {
        ticket: TicketId,
        message: MessageId,
    },
    /// Another page of *Read all* (1-based): edits the page in place.
    ReadPage {
        ticket: TicketId,
        message: MessageId,
        page: u32,
    },
    /// The topic select of a `/ticket panel` message (the topic is the chosen value).
    PanelTopic,
    /// The topic select after "Open ticket from message"; `source` is the context-menu
    /// interaction whose prefill the database keeps.
    MessageTopic(u64),
    /// The property select shown before the open form to a customer with properties
    /// (the property id is the chosen value, `-` for none); `source` as in
    /// [`CustomId::MessageTopic`] when the form is prefilled from a message.
    PickProperty { topic: Topic, source: Option<u64> },
}

impl CustomId {
    /// The text form, or `None` when it would exceed Discord's 100 characters or would not
    /// read back as the same id (a topic or status this build does not know, a property
    /// that is empty or `-`, which stands for none): what [`CustomId::parse`] reads of an
    /// encoded id is always that id.
    pub fn encode(&self) -> Option<String> {
        let s = match self {
            CustomId::OpenModal { topic, .. } if !topic.is_known() => return None,
            CustomId::OpenModal {
                property: Some(p), ..
            } if p.is_empty() || p == "-" => return None,
            CustomId::ListPage {
                status: Some(s), ..
            } if !s.is_known() => return None,
            CustomId::StaffStart { seen, .. } | CustomId::StaffResolve { seen, .. }
                if !seen.is_known() =>
            {
                return None
            }
            CustomId::PickProperty { topic, .. } if !topic.is_known() => return None,
            CustomId::OpenModal {
                origin,
                topic,
                property,
            } => format!(
                "t:open:{origin}:{}:{}",
                topic.api_value(),
                property.as_deref().unwrap_or("-")
            ),
            CustomId::ReplyModal {
                ticket,
                origin,
                attachment: false,
            } => format!("t:reply:{ticket}:{origin}"),
            CustomId::ReplyModal {
                ticket,
                origin,
                attachment: true,
            } => format!("t:reply:{ticket}:{origin}:a"),
            CustomId::LinkModal => "t:link".to_string(),
            CustomId::Close(t) => format!("t:close:{t}"),
            CustomId::CloseConfirm(t) => format!("t:closeok:{t}"),
            CustomId::KeepOpen(t) => format!("t:keep:{t}"),
            CustomId::Retry(origin) => format!("t:retry:{origin}"),
            CustomId::ListPage {
                status,
                page,
                cursor,
            } => format!(
                "t:list:{}:{page}:{cursor}",
                status.map_or("-".to_string(), |s| s.api_value().to_string())
            ),
            CustomId::ReplyButton(t) => format!("t:dmreply:{t}"),
            CustomId::StaffView(t) => format!("t:sview:{t}"),
            CustomId::StaffStart { ticket, seen } => {
                format!("t:sstart:{ticket}:{}", seen.api_value())
            }
            CustomId::StaffResolve { ticket, seen } => {
                format!("t:sres:{ticket}:{}", seen.api_value())
            }
            CustomId::StaffReply(t) => format!("t:sreply:{t}"),
            CustomId::StaffReplyModal { ticket, origin } => format!("t:sreplym:{ticket}:{origin}"),
            CustomId::ReadAll { ticket, message } => format!("t:readall:{ticket}:{message}"),
            CustomId::ReadPage {
                ticket,
                message,
                page,
            } => format!("t:readpage:{ticket}:{message}:{page}"),
            CustomId::PanelTopic => "t:panel".to_string(),
            CustomId::MessageTopic(source) => format!("t:mtopic:{source}"),
            CustomId::PickProperty { topic, source } => format!(
                "t:oprop:{}:{}",
                topic.api_value(),
                source.map_or("-".to_string(), |s| s.to_string())
            ),
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
                attachment: false,
            },
            ("reply", 3) if rest[2] == "a" => CustomId::ReplyModal {
                ticket: id(0)?,
                origin: id(1)?,
                attachment: true,
            },
            ("link", 0) => CustomId::LinkModal,
            ("close", 1) => CustomId::Close(id(0)?),
            ("closeok", 1) => CustomId::CloseConfirm(id(0)?),
            ("keep", 1) => CustomId::KeepOpen(id(0)?),
            ("retry", 1) => CustomId::Retry(id(0)?),
            ("dmreply", 1) => CustomId::ReplyButton(id(0)?),
            ("sview", 1) => CustomId::StaffView(id(0)?),
            ("sstart", 2) => CustomId::StaffStart {
                ticket: id(0)?,
                seen: Status::from_api(rest[1].parse().ok()?)?,
            },
            ("sres", 2) => CustomId::StaffResolve {
                ticket: id(0)?,
                seen: Status::from_api(rest[1].parse().ok()?)?,
            },
            ("sreply", 1) => CustomId::StaffReply(id(0)?),
            ("sreplym", 2) => CustomId::StaffReplyModal {
                ticket: id(0)?,
                origin: id(1)?,
            },
            ("readall", 2) => CustomId::ReadAll {
                ticket: id(0)?,
                message: id(1)?,
            },
            ("readpage", 3) => CustomId::ReadPage {
                ticket: id(0)?,
                message: id(1)?,
                page: rest[2].parse().ok()?,
            },
            ("panel", 0) => CustomId::PanelTopic,
            ("mtopic", 1) => CustomId::MessageTopic(id(0)?),
            ("oprop", 2) => CustomId::PickProperty {
                topic: Topic::from_api(rest[0].parse().ok()?)?,
                source: match rest[1] {
                    "-" => None,
                    _ => Some(id(1)?),
                },
            },
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
                attachment: false,
            },
            CustomId::ReplyModal {
                ticket: u64::MAX,
                origin: u64::MAX,
                attachment: true,
            },
            CustomId::LinkModal,
            CustomId::Close(5),
            CustomId::CloseConfirm(5),
            CustomId::KeepOpen(5),
            CustomId::Retry(u64::MAX),
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
            CustomId::StaffView(u64::MAX),
            CustomId::StaffStart {
                ticket: 3,
                seen: Status::Open,
            },
            CustomId::StaffResolve {
                ticket: u64::MAX,
                seen: Status::InProgress,
            },
            CustomId::StaffReply(4),
            CustomId::StaffReplyModal {
                ticket: u64::MAX,
                origin: u64::MAX,
            },
            CustomId::ReadAll {
                ticket: u64::MAX,
                message: u64::MAX,
            },
            CustomId::ReadPage {
                ticket: u64::MAX,
                message: u64::MAX,
                page: u32::MAX,
            },
            CustomId::PanelTopic,
            CustomId::MessageTopic(u64::MAX),
            CustomId::PickProperty {
                topic: Topic::Ssl,
                source: Some(u64::MAX),
            },
            CustomId::PickProperty {
                topic: Topic::General,
                source: None,
            },
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
            "t:reply:1:2:b",
            "t:reply:1:2:",
            "t:retry:",
            "t:closeok:-1",
            "t:open:1:6:-",
            "t:open:1:4:",
            "t:list:9:1:c",
            "t:nuke:1",
            "t:sstart:1",
            "t:sstart:1:9",
            "t:sres:1:-1",
            "t:sreplym:1",
            "t:sview:x",
            "t:panel:1",
            "t:mtopic:",
            "t:mtopic:x",
            "t:oprop:9:-",
            "t:oprop:1:",
            "t:oprop:1",
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

    #[test]
    fn ids_that_would_not_read_back_are_refused_at_encoding() {
        // Found by the property tests: these encoded, then read back as another id (no
        // property) or as nothing.
        for property in ["-", ""] {
            let id = CustomId::OpenModal {
                origin: 1,
                topic: Topic::Billing,
                property: Some(property.into()),
            };
            assert_eq!(id.encode(), None, "{property:?}");
        }
        let unknown_topic = CustomId::OpenModal {
            origin: 1,
            topic: Topic::Unknown(9),
            property: None,
        };
        assert_eq!(unknown_topic.encode(), None);
        let unknown_pick = CustomId::PickProperty {
            topic: Topic::Unknown(9),
            source: None,
        };
        assert_eq!(unknown_pick.encode(), None);
        let unknown_status = CustomId::ListPage {
            status: Some(Status::Unknown(7)),
            page: 1,
            cursor: String::new(),
        };
        assert_eq!(unknown_status.encode(), None);
    }
}

/// Generated custom ids and strings (docs/robustness.md).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn topic() -> impl Strategy<Value = Topic> {
        prop_oneof![4 => prop::sample::select(Topic::ALL.to_vec()), 1 => any::<i64>().prop_map(Topic::from)]
    }

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![4 => prop::sample::select(Status::ALL.to_vec()), 1 => any::<i64>().prop_map(Status::from)]
    }

    /// Text with the separators and placeholders that matter.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[-:t0-9a-z]{0,12}",
            any::<String>(),
            "[-:]{0,3}",
            "[a-zA-Z0-9_:=-]{80,110}"
        ]
    }

    fn custom_id() -> impl Strategy<Value = CustomId> {
        prop_oneof![
            (any::<u64>(), topic(), prop::option::of(text())).prop_map(
                |(origin, topic, property)| {
                    CustomId::OpenModal {
                        origin,
                        topic,
                        property,
                    }
                }
            ),
            (any::<u64>(), any::<u64>(), any::<bool>()).prop_map(|(ticket, origin, attachment)| {
                CustomId::ReplyModal {
                    ticket,
                    origin,
                    attachment,
                }
            }),
            Just(CustomId::LinkModal),
            any::<u64>().prop_map(CustomId::Close),
            any::<u64>().prop_map(CustomId::CloseConfirm),
            any::<u64>().prop_map(CustomId::KeepOpen),
            any::<u64>().prop_map(CustomId::Retry),
            (prop::option::of(status()), any::<u32>(), text()).prop_map(
                |(status, page, cursor)| CustomId::ListPage {
                    status,
                    page,
                    cursor
                }
            ),
            any::<u64>().prop_map(CustomId::ReplyButton),
            any::<u64>().prop_map(CustomId::StaffView),
            (any::<u64>(), status())
                .prop_map(|(ticket, seen)| CustomId::StaffStart { ticket, seen }),
            (any::<u64>(), status())
                .prop_map(|(ticket, seen)| CustomId::StaffResolve { ticket, seen }),
            any::<u64>().prop_map(CustomId::StaffReply),
            (any::<u64>(), any::<u64>())
                .prop_map(|(ticket, origin)| CustomId::StaffReplyModal { ticket, origin }),
            (any::<u64>(), any::<u64>())
                .prop_map(|(ticket, message)| CustomId::ReadAll { ticket, message }),
            (any::<u64>(), any::<u64>(), any::<u32>()).prop_map(|(ticket, message, page)| {
                CustomId::ReadPage {
                    ticket,
                    message,
                    page,
                }
            }),
            Just(CustomId::PanelTopic),
            any::<u64>().prop_map(CustomId::MessageTopic),
            (topic(), prop::option::of(any::<u64>()))
                .prop_map(|(topic, source)| CustomId::PickProperty { topic, source }),
        ]
    }

    /// Strings shaped like ours: `t:`, a kind, and parts that may or may not be numbers.
    fn id_like() -> impl Strategy<Value = String> {
        let kind = prop::sample::select(vec![
            "open", "reply", "link", "close", "closeok", "keep", "retry", "list", "dmreply",
            "sview", "sstart", "sres", "sreply", "sreplym", "readall", "readpage", "panel",
            "mtopic", "oprop", "nuke", "",
        ]);
        let part = prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            Just("-".to_string()),
            Just(String::new()),
            "[+0-9]{1,25}",
            text(),
        ];
        (
            prop::sample::select(vec!["t", "T", "x", ""]),
            kind,
            prop::collection::vec(part, 0..5),
        )
            .prop_map(|(head, kind, parts)| {
                let mut s = format!("{head}:{kind}");
                for p in parts {
                    s.push(':');
                    s.push_str(&p);
                }
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn every_encoded_id_is_at_most_100_characters_and_reads_back(id in custom_id()) {
            if let Some(text) = id.encode() {
                prop_assert!(text.len() <= CUSTOM_ID_MAX);
                prop_assert_eq!(CustomId::parse(&text), Some(id));
            }
        }

        #[test]
        fn any_string_is_read_or_refused_and_what_is_read_encodes_back(
            s in prop_oneof![id_like(), any::<String>()]
        ) {
            // Never panics; an id read from at most 100 characters encodes to at most 100
            // and reads back as itself.
            if let Some(id) = CustomId::parse(&s) {
                if s.len() <= CUSTOM_ID_MAX {
                    let text = id.encode();
                    prop_assert!(text.is_some(), "{:?} → {:?}", s, id);
                    prop_assert_eq!(CustomId::parse(&text.unwrap_or_default()), Some(id));
                }
            }
        }
    }
}
