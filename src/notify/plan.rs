//! Which notifications an event produces. Pure: the processor supplies the ticket and who
//! opened it from Discord (already checked against the event's backend and account), this
//! decides.

use super::NotifySettings;
use crate::store::notify::{Change, JobKind, NewJob, Payload, Target};
use crate::ticket::api::{Event, EventKind, Ticket};
use crate::ticket::{Author, Status};

/// Whether planning this event needs the ticket (its subject and topic) from the API.
/// `noticed`: the ticket has staff notices to edit (they show its status as the API has
/// it now).
pub fn needs_ticket(
    kind: &EventKind,
    s: &NotifySettings,
    opener: Option<u64>,
    noticed: bool,
) -> bool {
    if noticed {
        return true;
    }
    match kind {
        EventKind::Created { .. } => s.on_open,
        EventKind::StatusChanged { from, to } if reopened(*from, *to) => {
            s.on_reopen || s.staff_all_transitions || (s.customer_updates && opener.is_some())
        }
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

/// The jobs for one event of `backend`. `ticket` is the ticket as the API has it now
/// (None when it could not be read: then only what the event itself says is used).
pub fn plan(
    backend: &str,
    event: &Event,
    ticket: Option<&Ticket>,
    opener: Option<u64>,
    s: &NotifySettings,
    received_at: i64,
) -> Vec<NewJob> {
    let base = Payload {
        event: event.id.clone(),
        subject: ticket.map(|t| t.subject.clone()),
        topic: ticket.map(|t| t.topic),
        opened_by: opener,
        account: Some(event.account_id.clone()),
        ..Payload::default()
    };
    let mut jobs = Vec::new();
    let mut job = |kind: JobKind, target: Target, payload: Payload| {
        jobs.push(NewJob {
            dedupe_key: format!(
                "{backend}|{}:{}:{}:{}",
                kind.as_str(),
                event.ticket_id,
                event.id,
                target.id()
            ),
            kind,
            target,
            ticket_id: event.ticket_id,
            payload,
            received_at,
        });
    };
    match event.kind() {
        EventKind::StatusChanged { from, to } => {
            let payload = Payload {
                change: Change::of_status(to),
                from_status: Some(from),
                to_status: Some(to),
                ..base
            };
            // One kind per change, so a change several settings select is posted once.
            let staff_kind = if to == Status::Resolved {
                Some(JobKind::StaffResolved)
            } else if s.staff_all_transitions || (s.on_reopen && reopened(from, to)) {
                Some(JobKind::StaffStatus)
            } else {
                None
            };
            // Without the ticket (API refused or failed), the default channel still hears.
            let channel = payload
                .topic
                .map_or(s.default_channel, |t| s.channel_for(t));
            if let (Some(k), Some(channel)) = (staff_kind, channel) {
                job(k, Target::Channel(channel), payload.clone());
            }
            let dm = to == Status::Resolved || s.customer_updates;
            if let (true, Some(user)) = (dm, opener) {
                job(JobKind::Dm, Target::Dm(user), payload);
            }
        }
        EventKind::TopicChanged { from, to, reason } => {
            let payload = Payload {
                change: Change::Topic,
                topic: Some(to),
                from_topic: Some(from),
                to_topic: Some(to),
                reason,
                status: ticket.map(|t| t.status),
                ..base
            };
            if let Some(channel) = s.channel_for(to) {
                job(
                    JobKind::StaffTopic,
                    Target::Channel(channel),
                    payload.clone(),
                );
            }
            if let Some(user) = opener {
                job(JobKind::Dm, Target::Dm(user), payload);
            }
        }
        EventKind::Created { .. } if s.on_open => {
            let payload = Payload {
                change: Change::Opened,
                to_status: Some(Status::Open),
                status: ticket.map(|t| t.status),
                ..base
            };
            let channel = payload
                .topic
                .map_or(s.default_channel, |t| s.channel_for(t));
            if let Some(channel) = channel {
                job(JobKind::StaffOpened, Target::Channel(channel), payload);
            }
        }
        EventKind::MessageCreated {
            author: Author::Staff,
            ..
        } if s.customer_updates => {
            if let Some(user) = opener {
                let payload = Payload {
                    change: Change::StaffReply,
                    ..base
                };
                job(JobKind::Dm, Target::Dm(user), payload);
            }
        }
        _ => {}
    }
    jobs
}

/// A ticket a customer reopened by replying to it while Resolved.
fn reopened(from: Status, to: Status) -> bool {
    from == Status::Resolved && to == Status::Open
}

/// Edits of the ticket's staff notices (channel, message) after one of its events: each
/// shows the ticket as the API has it now (`ticket`; without it, what the event says).
pub fn edits(
    backend: &str,
    event: &Event,
    ticket: Option<&Ticket>,
    opener: Option<u64>,
    notices: &[(u64, u64)],
    received_at: i64,
) -> Vec<NewJob> {
    let (change, event_status) = match event.kind() {
        EventKind::StatusChanged { to, .. } => (Change::of_status(to), Some(to)),
        EventKind::TopicChanged { .. } => (Change::Topic, None),
        EventKind::MessageCreated {
            author: Author::Staff,
            ..
        } => (Change::StaffReply, None),
        EventKind::MessageCreated { .. } => (Change::CustomerReply, None),
        _ => return Vec::new(),
    };
    let status = ticket.map(|t| t.status).or(event_status);
    notices
        .iter()
        .map(|&(channel, message)| NewJob {
            dedupe_key: format!(
                "{backend}|{}:{}:{}:{message}",
                JobKind::StaffEdit.as_str(),
                event.ticket_id,
                event.id
            ),
            kind: JobKind::StaffEdit,
            target: Target::Channel(channel),
            ticket_id: event.ticket_id,
            payload: Payload {
                event: event.id.clone(),
                change,
                subject: ticket.map(|t| t.subject.clone()),
                topic: ticket.map(|t| t.topic),
                to_status: status,
                status,
                opened_by: opener,
                account: Some(event.account_id.clone()),
                message: Some(message),
                ..Payload::default()
            },
            received_at,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::Topic;
    use chrono::DateTime;
    use serde_json::json;

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
            customer_updates: false,
            ..Default::default()
        }
    }

    fn targets(jobs: &[NewJob]) -> Vec<(JobKind, Target)> {
        jobs.iter().map(|j| (j.kind, j.target)).collect()
    }

    #[test]
    fn resolved_goes_to_the_topic_channel_and_the_opener() {
        let e = event("ticket.status_changed", json!({"from": 1, "to": 2}));
        let jobs = plan(
            "b",
            &e,
            Some(&ticket(Topic::Billing)),
            Some(42),
            &settings(),
            0,
        );
        assert_eq!(
            targets(&jobs),
            [
                (JobKind::StaffResolved, Target::Channel(300)),
                (JobKind::Dm, Target::Dm(42))
            ]
        );
        assert_eq!(jobs[0].payload.opened_by, Some(42));
        assert_eq!(jobs[0].payload.account.as_deref(), Some("acc"));
        let jobs = plan("b", &e, Some(&ticket(Topic::Ssl)), None, &settings(), 0);
        assert_eq!(
            targets(&jobs),
            [(JobKind::StaffResolved, Target::Channel(100))]
        );
    }

    #[test]
    fn without_the_ticket_a_resolved_event_still_reaches_the_default_channel() {
        let e = event("ticket.status_changed", json!({"from": 1, "to": 2}));
        let jobs = plan("b", &e, None, None, &settings(), 0);
        assert_eq!(
            targets(&jobs),
            [(JobKind::StaffResolved, Target::Channel(100))]
        );
        assert_eq!(jobs[0].payload.subject, None);
        assert_eq!(jobs[0].payload.to_status, Some(Status::Resolved));
    }

    #[test]
    fn other_transitions_post_nothing_for_staff_unless_configured() {
        let e = event("ticket.status_changed", json!({"from": 0, "to": 1}));
        let t = ticket(Topic::General);
        assert!(plan("b", &e, Some(&t), Some(42), &settings(), 0).is_empty());
        let mut s = settings();
        s.customer_updates = true;
        let jobs = plan("b", &e, Some(&t), Some(42), &s, 0);
        assert_eq!(targets(&jobs), [(JobKind::Dm, Target::Dm(42))]);
        s.staff_all_transitions = true;
        assert_eq!(plan("b", &e, Some(&t), Some(42), &s, 0).len(), 2);
    }

    #[test]
    fn a_topic_change_notifies_the_new_topics_channel_and_the_opener() {
        let e = event(
            "ticket.topic_changed",
            json!({"from": 0, "to": 3, "reason": "invoice"}),
        );
        let jobs = plan(
            "b",
            &e,
            Some(&ticket(Topic::Billing)),
            Some(9),
            &settings(),
            0,
        );
        assert_eq!(
            targets(&jobs),
            [
                (JobKind::StaffTopic, Target::Channel(300)),
                (JobKind::Dm, Target::Dm(9))
            ]
        );
        assert_eq!(jobs[0].payload.reason.as_deref(), Some("invoice"));
    }

    #[test]
    fn dedupe_keys_are_per_backend_ticket_event_kind_and_target() {
        let e = event("ticket.status_changed", json!({"from": 1, "to": 2}));
        let t = ticket(Topic::General);
        let a = plan("b", &e, Some(&t), Some(42), &settings(), 0);
        let b = plan("b", &e, Some(&t), Some(42), &settings(), 99);
        let keys = |jobs: &[NewJob]| {
            jobs.iter()
                .map(|j| j.dedupe_key.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&a), keys(&b));
        assert_ne!(a[0].dedupe_key, a[1].dedupe_key);
        let other = plan("other", &e, Some(&t), Some(42), &settings(), 0);
        assert_ne!(
            keys(&a),
            keys(&other),
            "another backend's same event id is another job"
        );
    }

    #[test]
    fn nothing_for_creations_and_customer_messages() {
        let s = NotifySettings {
            customer_updates: true,
            ..settings()
        };
        let e = event("ticket.created", json!({"topic": 0, "status": 0}));
        assert!(plan("b", &e, None, Some(1), &s, 0).is_empty());
        let e = event(
            "ticket.message_created",
            json!({"messageId": 1, "author": "customer"}),
        );
        assert!(plan("b", &e, None, Some(1), &s, 0).is_empty());
        let e = event(
            "ticket.message_created",
            json!({"messageId": 1, "author": "staff"}),
        );
        assert_eq!(plan("b", &e, None, Some(1), &s, 0).len(), 1);
    }

    #[test]
    fn new_and_reopened_tickets_are_posted_when_configured_and_once() {
        let mut s = settings();
        let created = event("ticket.created", json!({"topic": 3, "status": 0}));
        let t = ticket(Topic::Billing);
        assert!(!needs_ticket(&created.kind(), &s, None, false));
        assert!(plan("b", &created, Some(&t), None, &s, 0).is_empty());
        s.on_open = true;
        assert!(needs_ticket(&created.kind(), &s, None, false));
        assert_eq!(
            targets(&plan("b", &created, Some(&t), None, &s, 0)),
            [(JobKind::StaffOpened, Target::Channel(300))]
        );
        let reopened = event("ticket.status_changed", json!({"from": 2, "to": 0}));
        let started = event("ticket.status_changed", json!({"from": 0, "to": 1}));
        assert!(plan("b", &reopened, Some(&t), None, &s, 0).is_empty());
        s.on_reopen = true;
        assert_eq!(
            targets(&plan("b", &reopened, Some(&t), None, &s, 0)),
            [(JobKind::StaffStatus, Target::Channel(300))]
        );
        assert!(plan("b", &started, Some(&t), None, &s, 0).is_empty());
        // Selected twice (on_reopen and staff_all_transitions): one notice.
        s.staff_all_transitions = true;
        assert_eq!(plan("b", &reopened, Some(&t), None, &s, 0).len(), 1);
    }

    #[test]
    fn every_later_event_edits_each_notice_of_its_ticket_with_the_status_now() {
        let e = event(
            "ticket.message_created",
            json!({"messageId": 1, "author": "customer"}),
        );
        let mut t = ticket(Topic::General);
        t.status = Status::InProgress;
        let jobs = edits("b", &e, Some(&t), Some(42), &[(100, 1), (300, 2)], 0);
        assert_eq!(
            targets(&jobs),
            [
                (JobKind::StaffEdit, Target::Channel(100)),
                (JobKind::StaffEdit, Target::Channel(300))
            ]
        );
        assert_eq!(jobs[0].payload.message, Some(1));
        assert_eq!(jobs[1].payload.status, Some(Status::InProgress));
        assert_eq!(jobs[0].payload.change, Change::CustomerReply);
        assert_ne!(jobs[0].dedupe_key, jobs[1].dedupe_key);
        // Without the ticket: what the event says.
        let e = event("ticket.status_changed", json!({"from": 1, "to": 2}));
        let jobs = edits("b", &e, None, None, &[(100, 1)], 0);
        assert_eq!(jobs[0].payload.status, Some(Status::Resolved));
        assert!(needs_ticket(&e.kind(), &settings(), None, true));
        let created = event("ticket.created", json!({"topic": 0, "status": 0}));
        assert!(edits("b", &created, None, None, &[(100, 1)], 0).is_empty());
    }
}
