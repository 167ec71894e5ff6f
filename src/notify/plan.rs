//! Which notifications an event produces. Pure: the processor supplies the ticket and who
//! opened it from Discord, this decides.

use serde_json::json;

use super::NotifySettings;
use crate::store::notify::NewJob;
use crate::ticket::api::{Event, EventKind, Ticket};
use crate::ticket::{Author, Status};

/// Staff message: a ticket became Resolved (coalesced when many).
pub const KIND_RESOLVED: &str = "staff_resolved";
/// Staff message: a ticket was moved to another topic (escalation).
pub const KIND_TOPIC: &str = "staff_topic";
/// Staff message: another transition, only when configured.
pub const KIND_STATUS: &str = "staff_status";
/// DM to the customer who opened the ticket from Discord.
pub const KIND_DM: &str = "dm";

/// Whether planning this event needs the ticket (its subject and topic) from the API.
pub fn needs_ticket(kind: &EventKind, s: &NotifySettings, opener: Option<u64>) -> bool {
    match kind {
        EventKind::StatusChanged {
            to: Status::Resolved,
            ..
        } => true,
        EventKind::StatusChanged { .. } => {
            s.staff_all_transitions || (s.customer_updates && opener.is_some())
        }
        EventKind::TopicChanged { .. } => true,
        EventKind::MessageCreated {
            author: Author::Staff,
            ..
        } => s.customer_updates && opener.is_some(),
        _ => false,
    }
}

fn change_name(to: Status) -> &'static str {
    match to {
        Status::Open => "reopened",
        Status::InProgress => "in_progress",
        Status::Resolved => "resolved",
        Status::Closed => "closed",
        Status::Unknown(_) => "unknown",
    }
}

/// The jobs for one event. `ticket` is the ticket as the API has it now (None when it
/// could not be read: then only what the event itself says is used).
pub fn plan(
    event: &Event,
    ticket: Option<&Ticket>,
    opener: Option<u64>,
    s: &NotifySettings,
    received_at: i64,
) -> Vec<NewJob> {
    let kind = event.kind();
    let subject = ticket.map(|t| t.subject.clone());
    let mut jobs = Vec::new();
    let mut job = |kind: &str, target: u64, payload: serde_json::Value| {
        jobs.push(NewJob {
            dedupe_key: format!("{kind}:{}:{}:{target}", event.ticket_id, event.id),
            kind: kind.to_string(),
            target,
            ticket_id: event.ticket_id,
            payload,
            received_at,
        });
    };
    match kind {
        EventKind::StatusChanged { from, to } => {
            let topic = ticket.map(|t| t.topic);
            let payload = json!({
                "ticket": event.ticket_id, "event": event.id, "subject": subject,
                "topic": topic, "from": from, "to": to, "change": change_name(to),
                "opener": opener.map(|o| o.to_string()),
            });
            let staff_kind = if to == Status::Resolved {
                Some(KIND_RESOLVED)
            } else if s.staff_all_transitions {
                Some(KIND_STATUS)
            } else {
                None
            };
            // Without the ticket (API refused), the default channel still hears of it.
            let channel = topic.map_or(s.default_channel, |t| s.channel_for(t));
            if let (Some(k), Some(channel)) = (staff_kind, channel) {
                job(k, channel, payload.clone());
            }
            let dm = to == Status::Resolved || s.customer_updates;
            if let (true, Some(user)) = (dm, opener) {
                job(KIND_DM, user, payload);
            }
        }
        EventKind::TopicChanged { from, to, reason } => {
            let payload = json!({
                "ticket": event.ticket_id, "event": event.id, "subject": subject,
                "topic": to, "from": from, "to": to, "reason": reason, "change": "topic",
                "status": ticket.map(|t| t.status),
                "opener": opener.map(|o| o.to_string()),
            });
            if let Some(channel) = s.channel_for(to) {
                job(KIND_TOPIC, channel, payload.clone());
            }
            if let Some(user) = opener {
                job(KIND_DM, user, payload);
            }
        }
        EventKind::MessageCreated {
            author: Author::Staff,
            ..
        } if s.customer_updates => {
            if let Some(user) = opener {
                let payload = json!({
                    "ticket": event.ticket_id, "event": event.id, "subject": subject,
                    "topic": ticket.map(|t| t.topic), "change": "staff_reply",
                });
                job(KIND_DM, user, payload);
            }
        }
        _ => {}
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::Topic;
    use chrono::DateTime;

    fn event(kind: &str, data: serde_json::Value) -> Event {
        Event {
            id: "evt_000000000007".into(),
            event_type: kind.into(),
            ticket_id: 5,
            account_id: "acc".into(),
            occurred_at: DateTime::from_timestamp(0, 0).unwrap(),
            data,
        }
    }

    fn ticket(topic: Topic) -> Ticket {
        Ticket {
            id: 5,
            account_id: "acc".into(),
            topic,
            status: Status::Resolved,
            subject: "s".into(),
            property_id: None,
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
            updated_at: DateTime::from_timestamp(0, 0).unwrap(),
        }
    }

    fn settings() -> NotifySettings {
        NotifySettings {
            default_channel: Some(100),
            topic_channels: [(3, 300)].into_iter().collect(),
            ..Default::default()
        }
    }

    #[test]
    fn resolved_goes_to_the_topic_channel_and_the_opener() {
        let e = event("ticket.status_changed", json!({"from": 1, "to": 2}));
        let jobs = plan(&e, Some(&ticket(Topic::Billing)), Some(42), &settings(), 0);
        let targets: Vec<(&str, u64)> = jobs.iter().map(|j| (j.kind.as_str(), j.target)).collect();
        assert_eq!(targets, [(KIND_RESOLVED, 300), (KIND_DM, 42)]);
        let jobs = plan(&e, Some(&ticket(Topic::Ssl)), None, &settings(), 0);
        let targets: Vec<(&str, u64)> = jobs.iter().map(|j| (j.kind.as_str(), j.target)).collect();
        assert_eq!(targets, [(KIND_RESOLVED, 100)]);
    }

    #[test]
    fn other_transitions_post_nothing_for_staff_unless_configured() {
        let e = event("ticket.status_changed", json!({"from": 0, "to": 1}));
        assert!(plan(&e, Some(&ticket(Topic::General)), Some(42), &settings(), 0).is_empty());
        let mut s = settings();
        s.customer_updates = true;
        let jobs = plan(&e, Some(&ticket(Topic::General)), Some(42), &s, 0);
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].kind, KIND_DM);
        s.staff_all_transitions = true;
        assert_eq!(
            plan(&e, Some(&ticket(Topic::General)), Some(42), &s, 0).len(),
            2
        );
    }

    #[test]
    fn a_topic_change_notifies_the_new_topics_channel_and_the_opener() {
        let e = event(
            "ticket.topic_changed",
            json!({"from": 0, "to": 3, "reason": "invoice"}),
        );
        let jobs = plan(&e, Some(&ticket(Topic::Billing)), Some(9), &settings(), 0);
        let targets: Vec<(&str, u64)> = jobs.iter().map(|j| (j.kind.as_str(), j.target)).collect();
        assert_eq!(targets, [(KIND_TOPIC, 300), (KIND_DM, 9)]);
        assert_eq!(jobs[0].payload["reason"], "invoice");
    }

    #[test]
    fn dedupe_keys_are_per_ticket_event_kind_and_target() {
        let e = event("ticket.status_changed", json!({"from": 1, "to": 2}));
        let a = plan(&e, Some(&ticket(Topic::General)), Some(42), &settings(), 0);
        let b = plan(&e, Some(&ticket(Topic::General)), Some(42), &settings(), 99);
        assert_eq!(
            a.iter().map(|j| &j.dedupe_key).collect::<Vec<_>>(),
            b.iter().map(|j| &j.dedupe_key).collect::<Vec<_>>()
        );
        assert_ne!(a[0].dedupe_key, a[1].dedupe_key);
    }

    #[test]
    fn nothing_for_creations_and_customer_messages() {
        let s = NotifySettings {
            customer_updates: true,
            ..settings()
        };
        let e = event("ticket.created", json!({"topic": 0, "status": 0}));
        assert!(plan(&e, None, Some(1), &s, 0).is_empty());
        let e = event(
            "ticket.message_created",
            json!({"messageId": 1, "author": "customer"}),
        );
        assert!(plan(&e, None, Some(1), &s, 0).is_empty());
        let e = event(
            "ticket.message_created",
            json!({"messageId": 1, "author": "staff"}),
        );
        assert_eq!(plan(&e, None, Some(1), &s, 0).len(), 1);
    }
}
