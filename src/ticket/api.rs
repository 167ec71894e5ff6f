//! The shapes of Paradarum's ticket API v1 on the wire (JSON, camelCase).
//!
//! Shared by the client (which reads them) and the sandbox (which writes them) so the two
//! cannot drift apart. Reading is lenient: unknown fields are ignored and unknown enum
//! integers are kept, so a newer API never breaks an older bot.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Author, Status, Topic};

pub type TicketId = u64;
pub type MessageId = u64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: TicketId,
    pub account_id: String,
    pub topic: Topic,
    pub status: Status,
    pub subject: String,
    #[serde(default)]
    pub property_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub size: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub author: Author,
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub created_at: DateTime<Utc>,
    /// The name a staff reply was signed with (capability `messages.staff_name`); None for
    /// every other message, and from an API without the extension.
    #[serde(default)]
    pub staff_name: Option<String>,
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A list without a cursor (`/v1/properties`, `/v1/tickets/{id}/messages`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// The answer to a reply: the stored message and the ticket after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub message: Message,
    pub ticket: Ticket,
}

/// An event of the feed and of webhooks. `data` depends on `type`; [`Event::kind`]
/// reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub ticket_id: TicketId,
    pub account_id: String,
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub data: serde_json::Value,
}

pub const EVENT_TICKET_CREATED: &str = "ticket.created";
pub const EVENT_STATUS_CHANGED: &str = "ticket.status_changed";
pub const EVENT_TOPIC_CHANGED: &str = "ticket.topic_changed";
pub const EVENT_MESSAGE_CREATED: &str = "ticket.message_created";

/// What an event says, typed. Anything the bot cannot read is [`EventKind::Other`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    Created {
        topic: Topic,
        status: Status,
    },
    StatusChanged {
        from: Status,
        to: Status,
    },
    TopicChanged {
        from: Topic,
        to: Topic,
        reason: Option<String>,
    },
    MessageCreated {
        message_id: MessageId,
        author: Author,
    },
    Other,
}

#[derive(Deserialize)]
struct CreatedData {
    topic: Topic,
    status: Status,
}
#[derive(Deserialize)]
struct StatusData {
    from: Status,
    to: Status,
}
#[derive(Deserialize)]
struct TopicData {
    from: Topic,
    to: Topic,
    #[serde(default)]
    reason: Option<String>,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageData {
    message_id: MessageId,
    author: Author,
}

impl Event {
    /// Reads `data` for the event's type; malformed data gives [`EventKind::Other`]
    /// rather than an error, so one odd event never stops a feed.
    pub fn kind(&self) -> EventKind {
        let data = self.data.clone();
        let parsed = match self.event_type.as_str() {
            EVENT_TICKET_CREATED => {
                serde_json::from_value::<CreatedData>(data).map(|d| EventKind::Created {
                    topic: d.topic,
                    status: d.status,
                })
            }
            EVENT_STATUS_CHANGED => {
                serde_json::from_value::<StatusData>(data).map(|d| EventKind::StatusChanged {
                    from: d.from,
                    to: d.to,
                })
            }
            EVENT_TOPIC_CHANGED => {
                serde_json::from_value::<TopicData>(data).map(|d| EventKind::TopicChanged {
                    from: d.from,
                    to: d.to,
                    reason: d.reason,
                })
            }
            EVENT_MESSAGE_CREATED => {
                serde_json::from_value::<MessageData>(data).map(|d| EventKind::MessageCreated {
                    message_id: d.message_id,
                    author: d.author,
                })
            }
            _ => return EventKind::Other,
        };
        parsed.unwrap_or(EventKind::Other)
    }

    /// The event's sequence number, from its `evt_<n>` id.
    pub fn sequence(&self) -> Option<u64> {
        parse_event_id(&self.id)
    }
}

/// Event ids are `evt_` and a zero-padded sequence number, so they sort as text and as
/// numbers alike.
pub fn format_event_id(seq: u64) -> String {
    format!("evt_{seq:012}")
}

pub fn parse_event_id(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("evt_")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Every error body: `{"error": code, "message": text, "field"?: name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Error codes of the contract.
pub mod code {
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const FORBIDDEN: &str = "forbidden";
    pub const NOT_FOUND: &str = "not_found";
    pub const VALIDATION: &str = "validation";
    pub const TICKET_CLOSED: &str = "ticket_closed";
    pub const IDEMPOTENCY_CONFLICT: &str = "idempotency_conflict";
    /// A status change whose `expectedStatus` was not the ticket's status (409); the body
    /// also carries the ticket as it is now.
    pub const STATUS_CHANGED: &str = "status_changed";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const INVALID_JSON: &str = "invalid_json";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    pub const INTERNAL: &str = "internal";
}

/// Body of `POST /v1/tickets`. No priority: the API refuses one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTicket {
    pub topic: Topic,
    pub subject: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_id: Option<String>,
}

/// Body of `PATCH /v1/tickets/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeTopic {
    pub topic: Topic,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Scopes an integration token can hold. The admin token holds all of them.
pub mod scope {
    /// Read every account's tickets and messages.
    pub const TICKETS_READ: &str = "tickets:read";
    /// Reply to and close any ticket as staff.
    pub const TICKETS_WRITE: &str = "tickets:write";
    /// Set In Progress / Resolved.
    pub const TICKETS_STATUS: &str = "tickets:status";
    /// Move a ticket to another topic.
    pub const TICKETS_TOPIC: &str = "tickets:topic";
    /// Read the events feed.
    pub const EVENTS_READ: &str = "events:read";

    pub const ALL: [&str; 5] = [
        TICKETS_READ,
        TICKETS_WRITE,
        TICKETS_STATUS,
        TICKETS_TOPIC,
        EVENTS_READ,
    ];
}

/// Extensions of the v1 contract an API announces in `GET /v1/meta`. A client uses an
/// extension only where it is announced, and falls back otherwise; an API without
/// `/v1/meta` announces nothing.
pub mod capability {
    /// `GET /v1/events?after=latest`: the newest event id, without paging the feed.
    pub const EVENTS_AFTER_LATEST: &str = "events.after_latest";
    /// `GET /v1/events?since=<RFC 3339>`: the feed from a point in time.
    pub const EVENTS_SINCE: &str = "events.since";
    /// `GET /v1/token`: what the calling token is and may do.
    pub const TOKEN_INTROSPECTION: &str = "token.introspection";
    /// `Idempotency-Key` on replies and closes, as on ticket creation: a retry with the
    /// same key gets the first answer and changes nothing. Without it a retry may double.
    pub const IDEMPOTENT_WRITES: &str = "tickets.idempotent_writes";
    /// `expectedStatus` on `POST /v1/tickets/{id}/status`: a status change made only if
    /// the ticket is still in the status the caller saw, else 409 `status_changed` with
    /// the ticket as it is now. Without it a lost race answers 200 like a win.
    pub const EXPECTED_STATUS: &str = "tickets.expected_status";
    /// `staffName` on a staff reply, shown to the customer, and on every Message. Without
    /// it a staff reply is just "staff".
    pub const STAFF_NAME: &str = "messages.staff_name";

    /// Every extension the sandbox serves.
    pub const ALL: [&str; 6] = [
        EVENTS_AFTER_LATEST,
        EVENTS_SINCE,
        TOKEN_INTROSPECTION,
        IDEMPOTENT_WRITES,
        EXPECTED_STATUS,
        STAFF_NAME,
    ];
}

/// The kinds of token `GET /v1/token` reports.
pub mod token_kind {
    /// Acts for one account.
    pub const CUSTOMER: &str = "customer";
    /// Staff, with scopes and no account.
    pub const INTEGRATION: &str = "integration";
    /// The sandbox admin token: every scope.
    pub const ADMIN: &str = "admin";
}

/// Reads a list of strings leniently: a missing or null list is empty, entries that are
/// not strings (a newer API's richer form) are skipped, anything else is empty.
fn lenient_strings<'de, D>(de: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = Option::<serde_json::Value>::deserialize(de)?;
    Ok(match value {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// `GET /v1/meta`: the contract version and the extensions this API serves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    /// `"v1"`; empty when the API did not say (no `/v1/meta`).
    #[serde(default)]
    pub api_version: String,
    /// See [`capability`].
    #[serde(default, deserialize_with = "lenient_strings")]
    pub capabilities: Vec<String>,
}

impl Meta {
    /// Whether the API announced this extension ([`capability`]).
    pub fn has(&self, cap: &str) -> bool {
        self.capabilities.iter().any(|c| c == cap)
    }
}

/// `GET /v1/token`: the calling token's kind ([`token_kind`]), scopes and account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    #[serde(default)]
    pub kind: String,
    /// Empty for a customer token; every scope for the sandbox admin token.
    #[serde(default, deserialize_with = "lenient_strings")]
    pub scopes: Vec<String>,
    /// The account a customer token acts for; None for staff tokens.
    #[serde(default)]
    pub account_id: Option<String>,
}

impl TokenInfo {
    pub fn has_scope(&self, s: &str) -> bool {
        self.scopes.iter().any(|x| x == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_with_an_unknown_topic_and_extra_fields_still_reads() {
        let json = r#"{"id":7,"accountId":"acc_1","topic":9,"status":5,"subject":"s",
            "propertyId":null,"createdAt":"2026-01-01T00:00:00Z",
            "updatedAt":"2026-01-01T00:00:01Z","priority":"high","newField":{"x":1}}"#;
        let t: Ticket = serde_json::from_str(json).unwrap();
        assert_eq!(t.topic, Topic::Unknown(9));
        assert_eq!(t.status, Status::Unknown(5));
        assert_eq!(t.property_id, None);
    }

    #[test]
    fn a_ticket_serializes_camel_case_with_integer_enums_and_no_priority() {
        let t = Ticket {
            id: 1,
            account_id: "acc_1".into(),
            topic: Topic::Ssl,
            status: Status::Open,
            subject: "s".into(),
            property_id: None,
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
            updated_at: DateTime::from_timestamp(0, 0).unwrap(),
        };
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["topic"], 4);
        assert_eq!(v["status"], 0);
        assert_eq!(v["accountId"], "acc_1");
        assert!(v.get("propertyId").unwrap().is_null());
        assert!(v.get("priority").is_none());
    }

    #[test]
    fn event_kinds_are_read_from_data_and_odd_data_is_other() {
        let mut e = Event {
            id: format_event_id(3),
            event_type: EVENT_STATUS_CHANGED.into(),
            ticket_id: 1,
            account_id: "acc".into(),
            occurred_at: DateTime::from_timestamp(0, 0).unwrap(),
            data: serde_json::json!({"from": 2, "to": 0}),
        };
        assert_eq!(
            e.kind(),
            EventKind::StatusChanged {
                from: Status::Resolved,
                to: Status::Open
            }
        );
        assert_eq!(e.sequence(), Some(3));
        e.data = serde_json::json!({"from": "x"});
        assert_eq!(e.kind(), EventKind::Other);
        e.event_type = "ticket.exploded".into();
        assert_eq!(e.kind(), EventKind::Other);
    }

    #[test]
    fn event_ids_sort_as_text_and_parse_back() {
        assert!(format_event_id(9) < format_event_id(10));
        assert_eq!(parse_event_id(&format_event_id(42)), Some(42));
        assert_eq!(parse_event_id("evt_"), None);
        assert_eq!(parse_event_id("evt_-1"), None);
        assert_eq!(parse_event_id("42"), None);
    }

    #[test]
    fn meta_reads_leniently_and_answers_has() {
        let m: Meta = serde_json::from_str(
            r#"{"apiVersion":"v1","capabilities":["events.since",{"name":"x"},7],"extra":1}"#,
        )
        .unwrap();
        assert_eq!(m.api_version, "v1");
        assert_eq!(m.capabilities, vec!["events.since".to_string()]);
        assert!(m.has(capability::EVENTS_SINCE));
        assert!(!m.has(capability::EVENTS_AFTER_LATEST));
        let empty: Meta = serde_json::from_str(r#"{"capabilities":null}"#).unwrap();
        assert_eq!(empty, Meta::default());
        let v = serde_json::to_value(Meta {
            api_version: "v1".into(),
            capabilities: capability::ALL.iter().map(|c| c.to_string()).collect(),
        })
        .unwrap();
        assert_eq!(v["apiVersion"], "v1");
        assert_eq!(v["capabilities"][2], "token.introspection");
    }

    #[test]
    fn token_info_reads_leniently_and_answers_has_scope() {
        let t: TokenInfo = serde_json::from_str(
            r#"{"kind":"integration","scopes":["events:read"],"accountId":null,"new":true}"#,
        )
        .unwrap();
        assert_eq!(t.kind, token_kind::INTEGRATION);
        assert!(t.has_scope(scope::EVENTS_READ));
        assert!(!t.has_scope(scope::TICKETS_READ));
        assert_eq!(t.account_id, None);
        let c: TokenInfo =
            serde_json::from_str(r#"{"kind":"customer","accountId":"acc_1"}"#).unwrap();
        assert_eq!(c.account_id.as_deref(), Some("acc_1"));
        assert!(c.scopes.is_empty());
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["accountId"], "acc_1");
    }
}

/// Generated answers of the ticket API (docs/robustness.md): unknown fields, unknown
/// integers, huge numbers, wrong types. Reading gives a value or a typed error, never a panic.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    const FIELDS: [&str; 32] = [
        "id",
        "accountId",
        "topic",
        "status",
        "subject",
        "propertyId",
        "createdAt",
        "updatedAt",
        "ticketId",
        "author",
        "body",
        "attachments",
        "filename",
        "contentType",
        "size",
        "items",
        "nextCursor",
        "message",
        "ticket",
        "type",
        "occurredAt",
        "data",
        "from",
        "to",
        "reason",
        "messageId",
        "error",
        "field",
        "capabilities",
        "scopes",
        "staffName",
        "expectedStatus",
    ];

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::sample::select(FIELDS.to_vec()).prop_map(str::to_string),
            1 => "[a-zA-Z_]{0,8}",
        ]
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-10..10i64).prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            prop_oneof![
                Just("2026-01-01T00:00:00Z".to_string()),
                "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{0,12}(Z|[+-][0-9]{2}:[0-9]{2})?",
                "customer|staff|system|robot",
                any::<String>(),
            ]
            .prop_map(Value::from),
        ]
    }

    /// Any JSON, nested a few levels, with the API's field names most of the time.
    fn json_value() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(4, 48, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(key(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn valid_ticket() -> Value {
        json!({"id": 7, "accountId": "acc_1", "topic": 4, "status": 2, "subject": "s",
               "propertyId": null, "createdAt": "2026-01-01T00:00:00Z",
               "updatedAt": "2026-01-01T00:00:01Z"})
    }

    fn valid_message() -> Value {
        json!({"id": 1, "ticketId": 7, "author": "staff", "body": "b",
               "attachments": [{"filename": "a.txt", "contentType": "text/plain", "size": 3}],
               "createdAt": "2026-01-01T00:00:00Z", "staffName": "Ana"})
    }

    fn valid_event() -> Value {
        json!({"id": "evt_000000000001", "type": "ticket.status_changed", "ticketId": 7,
               "accountId": "acc_1", "occurredAt": "2026-01-01T00:00:00Z",
               "data": {"from": 1, "to": 2}})
    }

    /// A valid answer with some fields replaced by anything and unknown ones added.
    fn mutated(base: Value) -> impl Strategy<Value = Value> {
        prop::collection::vec((key(), json_value(), any::<bool>()), 0..4).prop_map(move |edits| {
            let mut v = base.clone();
            if let Some(obj) = v.as_object_mut() {
                for (k, value, remove) in edits {
                    if remove {
                        obj.remove(&k);
                    } else {
                        obj.insert(k, value);
                    }
                }
            }
            v
        })
    }

    fn any_answer() -> impl Strategy<Value = Value> {
        prop_oneof![
            mutated(valid_ticket()),
            mutated(valid_message()),
            mutated(valid_event()),
            mutated(json!({"items": [valid_ticket(), valid_event()], "nextCursor": "c"})),
            mutated(json!({"message": valid_message(), "ticket": valid_ticket()})),
            json_value(),
        ]
    }

    /// Reads `v` as `T` from the value and from its text; what reads writes back the same.
    fn read<T>(v: &Value) -> Result<(), TestCaseError>
    where
        T: serde::de::DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
    {
        let from_value = serde_json::from_value::<T>(v.clone()).ok();
        let from_text = serde_json::from_str::<T>(&v.to_string()).ok();
        prop_assert_eq!(from_value.is_some(), from_text.is_some());
        if let Some(t) = from_value {
            let again: T = serde_json::from_value(serde_json::to_value(&t).unwrap())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(again, t);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn any_answer_reads_as_a_value_or_a_typed_error(v in any_answer()) {
            read::<Ticket>(&v)?;
            read::<Message>(&v)?;
            read::<Reply>(&v)?;
            read::<Page<Ticket>>(&v)?;
            read::<Items<Message>>(&v)?;
            read::<Account>(&v)?;
            read::<Property>(&v)?;
            read::<ErrorBody>(&v)?;
            read::<Meta>(&v)?;
            read::<TokenInfo>(&v)?;
            // Events: the data is kept as it came, so only reading is checked.
            if let Ok(e) = serde_json::from_value::<Event>(v.clone()) {
                let _ = e.kind();
                let _ = e.sequence();
            }
            let _ = serde_json::from_value::<Page<Event>>(v);
        }

        #[test]
        fn event_kind_never_panics_and_reads_what_it_knows(
            event_type in prop_oneof![
                prop::sample::select(vec![
                    EVENT_TICKET_CREATED, EVENT_STATUS_CHANGED, EVENT_TOPIC_CHANGED,
                    EVENT_MESSAGE_CREATED,
                ])
                .prop_map(str::to_string),
                any::<String>(),
            ],
            data in prop_oneof![
                mutated(json!({"topic": 3, "status": 0})),
                mutated(json!({"from": 1, "to": 2})),
                mutated(json!({"from": 0, "to": 4, "reason": "r"})),
                mutated(json!({"messageId": 9, "author": "customer"})),
                json_value(),
            ],
            id in prop_oneof!["evt_[0-9]{0,25}", any::<String>()],
        ) {
            let e = Event {
                id,
                event_type,
                ticket_id: 1,
                account_id: "acc".into(),
                occurred_at: DateTime::from_timestamp(0, 0).unwrap(),
                data,
            };
            let kind = e.kind();
            let known = [
                EVENT_TICKET_CREATED, EVENT_STATUS_CHANGED, EVENT_TOPIC_CHANGED,
                EVENT_MESSAGE_CREATED,
            ];
            if !known.contains(&e.event_type.as_str()) {
                prop_assert_eq!(kind, EventKind::Other);
            }
            if let Some(n) = e.sequence() {
                prop_assert_eq!(format_event_id(n).trim_start_matches("evt_").parse::<u64>().ok(), Some(n));
            }
        }

        #[test]
        fn any_integer_topic_or_status_is_kept(topic in any::<i64>(), status in any::<i64>()) {
            let mut v = valid_ticket();
            v["topic"] = json!(topic);
            v["status"] = json!(status);
            let t: Ticket = serde_json::from_value(v).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(t.topic.api_value(), topic);
            prop_assert_eq!(t.status.api_value(), status);
        }

        #[test]
        fn numbers_beyond_the_types_are_errors(
            field in prop::sample::select(vec!["id", "topic", "status"]),
            number in prop_oneof![
                "[1-9][0-9]{20,40}",
                "-[1-9][0-9]{20,40}",
                "[0-9]{1,5}\\.[0-9]{1,5}",
                "[0-9]e[0-9]{1,4}",
                Just("-1".to_string()),
                Just("1e400".to_string()),
            ],
        ) {
            let text = valid_ticket().to_string().replacen(
                &format!("\"{field}\":{}", valid_ticket()[field]),
                &format!("\"{field}\":{number}"),
                1,
            );
            // A negative id or a fraction is an error too: never a wrapped or rounded id.
            if let Ok(t) = serde_json::from_str::<Ticket>(&text) {
                prop_assert!(field != "id" || t.id.to_string() == number, "{}", text);
            }
        }
    }
}
