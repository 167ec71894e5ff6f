//! Message bodies for notifications (Discord's Create Message JSON). Pure.
//!
//! Staff messages coalesce: as many tickets as fit Discord's limits (10 embeds, 6,000
//! embed characters, 4,096 per description) go into one message. Single notices and DMs
//! are [`Card`]s, drawn by the same code as the commands' cards. Subjects are inert.
//! Allowed mentions permit the configured staff role and nothing else.

use serde_json::{json, Value};

use crate::discord::ids::CustomId;
use crate::discord::render::{user_text, Card, DESCRIPTION_MAX};
use crate::i18n::{self, Locale};
use crate::store::notify::{Change, Job, JobKind};
use crate::ticket::{Status, Topic};
use crate::tr;

/// Total embed characters per message we allow ourselves (Discord: 6,000).
const EMBED_BUDGET: usize = 5_800;
const EMBEDS_MAX: usize = 10;

/// A message body and how many of the offered jobs it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub body: Value,
    pub used: usize,
}

fn topic_label(t: Option<Topic>, l: Locale) -> String {
    match t {
        Some(t) => i18n::topic(t).render(l),
        None => tr!(l, "notify-topic-unknown"),
    }
}

fn colour(t: Option<Topic>) -> u32 {
    t.unwrap_or(Topic::General).colour()
}

fn status_label(s: Option<Status>, l: Locale) -> String {
    match s {
        Some(s) => i18n::status(s).render(l),
        None => tr!(l, "notify-status-unknown"),
    }
}

fn subject(job: &Job, max: usize, l: Locale) -> String {
    match &job.payload.subject {
        Some(s) => user_text(s, max),
        None => tr!(l, "notify-subject-unavailable"),
    }
}

fn opener(job: &Job) -> Option<String> {
    job.payload.opened_by.map(|u| format!("<@{u}>"))
}

fn allowed_mentions(role: Option<u64>) -> Value {
    match role {
        Some(r) => json!({"parse": [], "roles": [r.to_string()], "users": []}),
        None => json!({"parse": [], "roles": [], "users": []}),
    }
}

fn role_content(role: Option<u64>) -> String {
    role.map(|r| format!("<@&{r}>")).unwrap_or_default()
}

/// A card as Discord's embed JSON, through the same builder the commands use.
fn embed(card: &Card) -> Value {
    serde_json::to_value(card.to_embed()).unwrap_or_else(|_| json!({"title": "…"}))
}

/// A subject on one line: a newline in it could start a line that looks like another
/// ticket's in a coalesced list.
fn subject_line(job: &Job, max: usize, l: Locale) -> String {
    subject(job, max, l).replace(['\n', '\r'], " ")
}

/// One line for a coalesced staff message.
fn line(kind: JobKind, job: &Job, l: Locale) -> String {
    let p = &job.payload;
    let who = opener(job).map(|o| format!(" · {o}")).unwrap_or_default();
    match kind {
        JobKind::StaffTopic => format!(
            "`#{}` {} → **{}** · {}{}",
            job.ticket_id,
            topic_label(p.from_topic, l),
            topic_label(p.to_topic, l),
            subject_line(job, 40, l),
            who
        ),
        JobKind::StaffStatus => format!(
            "`#{}` {} · {} · {}{}",
            job.ticket_id,
            topic_label(p.topic, l),
            tr!(
                l,
                "staff-line-status",
                status = status_label(p.to_status, l)
            ),
            subject_line(job, 40, l),
            who
        ),
        _ => format!(
            "`#{}` {} · {}{}",
            job.ticket_id,
            topic_label(p.topic, l),
            subject_line(job, 40, l),
            who
        ),
    }
}

/// The card of one staff notice. Without the ticket (degraded), only what the event said.
fn single_card(kind: JobKind, job: &Job, l: Locale) -> Card {
    let p = &job.payload;
    let mut fields = vec![(tr!(l, "staff-field-topic"), topic_label(p.topic, l), true)];
    if p.subject.is_some() {
        fields.push((tr!(l, "staff-field-subject"), subject(job, 1000, l), false));
    }
    if let Some(o) = opener(job) {
        fields.push((tr!(l, "staff-field-opened-by"), o, true));
    }
    let title = match kind {
        JobKind::StaffTopic => {
            let moved = format!(
                "{} → {}",
                topic_label(p.from_topic, l),
                topic_label(p.to_topic, l)
            );
            fields.insert(0, (tr!(l, "staff-field-moved"), moved, false));
            let reason = p
                .reason
                .as_deref()
                .map(|r| user_text(r, 1000))
                .unwrap_or_else(|| tr!(l, "staff-no-reason"));
            fields.push((tr!(l, "staff-field-reason"), reason, false));
            tr!(
                l,
                "staff-title-moved",
                ticket_id = job.ticket_id,
                topic = topic_label(p.to_topic, l)
            )
        }
        _ => tr!(
            l,
            "staff-title-status",
            ticket_id = job.ticket_id,
            status = status_label(p.to_status.or(Some(Status::Resolved)), l)
        ),
    };
    Card {
        title,
        description: String::new(),
        colour: colour(p.topic),
        fields,
        footer: Some(tr!(l, "staff-footer-event", event = p.event.to_string())),
        timestamp: None,
    }
}

fn heading(kind: JobKind, n: usize, l: Locale) -> String {
    match kind {
        JobKind::StaffTopic => tr!(l, "staff-heading-moved", count = n),
        JobKind::StaffStatus => tr!(l, "staff-heading-status", count = n),
        _ => tr!(l, "staff-heading-resolved", count = n),
    }
}

/// A staff message in `locale` for as many of `jobs` (same kind, same channel) as fit.
pub fn staff(
    kind: JobKind,
    jobs: &[Job],
    role: Option<u64>,
    nonce: &str,
    locale: Locale,
) -> Composed {
    let base = |embeds: Vec<Value>| {
        json!({
            "content": role_content(role),
            "embeds": embeds,
            "allowed_mentions": allowed_mentions(role),
            "nonce": nonce,
            "enforce_nonce": true,
        })
    };
    if jobs.len() <= 1 {
        let embeds = jobs
            .iter()
            .map(|j| embed(&single_card(kind, j, locale)))
            .collect();
        return Composed {
            body: base(embeds),
            used: jobs.len(),
        };
    }
    // The title counts against the budget; reserve room for the longest it can be.
    let title_len = heading(kind, jobs.len(), locale).chars().count();
    let mut budget = EMBED_BUDGET - title_len;
    let mut descriptions: Vec<String> = vec![String::new()];
    let mut used = 0;
    for job in jobs {
        let l = line(kind, job, locale);
        let cost = l.chars().count() + 1;
        if cost > budget {
            break;
        }
        let current = descriptions
            .last_mut()
            .map(|d| d.chars().count())
            .unwrap_or(0);
        if current + cost > DESCRIPTION_MAX {
            if descriptions.len() == EMBEDS_MAX {
                break;
            }
            descriptions.push(String::new());
        }
        if let Some(d) = descriptions.last_mut() {
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(&l);
        }
        budget -= cost;
        used += 1;
    }
    let colour = colour(jobs[0].payload.topic);
    let embeds = descriptions
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let mut e = json!({"description": d, "color": colour});
            if i == 0 {
                e["title"] = heading(kind, used, locale).into();
            }
            e
        })
        .collect();
    Composed {
        body: base(embeds),
        used,
    }
}

/// A DM to the customer about one ticket in `locale` (the one they last used), with
/// Reply / Close buttons while it is open.
pub fn dm(job: &Job, nonce: &str, locale: Locale) -> Value {
    debug_assert_eq!(job.kind, JobKind::Dm);
    let p = &job.payload;
    let id = job.ticket_id;
    let l = locale;
    let (title, text) = match p.change {
        Change::Resolved => (
            tr!(l, "dm-resolved-title", ticket_id = id),
            tr!(l, "dm-resolved-text"),
        ),
        Change::Topic => {
            let topic = topic_label(p.to_topic, l);
            (
                tr!(l, "dm-moved-title", ticket_id = id, topic = topic.as_str()),
                tr!(l, "dm-moved-text", topic = topic),
            )
        }
        Change::InProgress => (
            tr!(l, "dm-in-progress-title", ticket_id = id),
            tr!(l, "dm-in-progress-text"),
        ),
        Change::Reopened => (
            tr!(l, "dm-reopened-title", ticket_id = id),
            tr!(l, "dm-reopened-text"),
        ),
        Change::Closed => (
            tr!(l, "dm-closed-title", ticket_id = id),
            tr!(l, "dm-closed-text"),
        ),
        Change::StaffReply => (
            tr!(l, "dm-staff-reply-title", ticket_id = id),
            tr!(l, "dm-staff-reply-text"),
        ),
        Change::Unknown => (tr!(l, "dm-updated-title", ticket_id = id), String::new()),
    };
    let card = Card {
        title,
        description: format!("**{}**\n{text}", subject(job, 200, l)),
        colour: colour(p.topic),
        fields: Vec::new(),
        footer: None,
        timestamp: None,
    };
    let mut body = json!({
        "content": "",
        "embeds": [embed(&card)],
        "allowed_mentions": allowed_mentions(None),
        "nonce": nonce,
        "enforce_nonce": true,
    });
    if p.change != Change::Closed {
        let reply = CustomId::ReplyButton(id).encode();
        let close = CustomId::Close(id).encode();
        if let (Some(reply), Some(close)) = (reply, close) {
            body["components"] = json!([{"type": 1, "components": [
                {"type": 2, "style": 1, "label": tr!(l, "dm-button-reply"), "custom_id": reply},
                {"type": 2, "style": 4, "label": tr!(l, "dm-button-close"), "custom_id": close},
            ]}]);
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::notify::{Payload, Target};

    fn job(id: i64, subject: &str) -> Job {
        Job {
            id,
            backend: "b".into(),
            kind: JobKind::StaffResolved,
            target: Target::Channel(1),
            ticket_id: id as u64,
            payload: Payload {
                event: "evt_1".into(),
                change: Change::Resolved,
                subject: Some(subject.into()),
                topic: Some(Topic::Ssl),
                to_status: Some(Status::Resolved),
                opened_by: Some(123_456_789_012_345_678),
                ..Payload::default()
            },
            batch_id: None,
            attempts: 0,
            received_at: 0,
            created_at: 0,
        }
    }

    fn embed_chars(body: &Value) -> usize {
        body["embeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e["title"].as_str().map_or(0, |s| s.chars().count())
                    + e["description"].as_str().map_or(0, |s| s.chars().count())
                    + e["footer"]["text"]
                        .as_str()
                        .map_or(0, |s| s.chars().count())
                    + e["fields"].as_array().map_or(0, |fs| {
                        fs.iter()
                            .map(|f| {
                                f["name"].as_str().unwrap().chars().count()
                                    + f["value"].as_str().unwrap().chars().count()
                            })
                            .sum()
                    })
            })
            .sum()
    }

    #[test]
    fn many_tickets_coalesce_within_discords_limits() {
        let jobs: Vec<Job> = (0..1000).map(|i| job(i, &"x".repeat(200))).collect();
        let c = staff(JobKind::StaffResolved, &jobs, None, "n1", Locale::EN_US);
        assert!(c.used >= 50, "only {} per message", c.used);
        assert!(embed_chars(&c.body) <= 6000);
        let embeds = c.body["embeds"].as_array().unwrap();
        assert!(embeds.len() <= 10);
        for e in embeds {
            assert!(e["description"].as_str().unwrap().chars().count() <= 4096);
        }
        assert!(embeds[0]["title"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{} tickets resolved", c.used)));
        // Every used ticket is in the text, in order.
        let text: String = embeds
            .iter()
            .map(|e| e["description"].as_str().unwrap())
            .collect();
        for j in &jobs[..c.used] {
            assert!(text.contains(&format!("`#{}`", j.ticket_id)));
        }
        assert!(!text.contains(&format!("`#{}`", jobs[c.used].ticket_id)));
    }

    #[test]
    fn hostile_subjects_ping_nobody_and_only_the_staff_role_may_be_mentioned() {
        let jobs = vec![job(1, "@everyone <@&123> <@456>")];
        let c = staff(JobKind::StaffResolved, &jobs, Some(777), "n", Locale::EN_US);
        let text = c.body.to_string();
        assert!(!text.contains("@everyone"));
        assert!(!text.contains("<@&123>"));
        assert!(!text.contains("<@456>"));
        assert_eq!(c.body["content"], "<@&777>");
        assert_eq!(c.body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(c.body["allowed_mentions"]["roles"], json!(["777"]));
        let d = dm(
            &Job {
                kind: JobKind::Dm,
                ..job(1, "@here hi")
            },
            "n",
            Locale::EN_US,
        );
        assert!(!d.to_string().contains("@here"));
        assert_eq!(d["allowed_mentions"]["roles"], json!([]));
    }

    #[test]
    fn a_subject_with_newlines_stays_on_its_line_in_a_coalesced_list() {
        let jobs = vec![job(1, "ok\n`#999` Billing · forged"), job(2, "fine")];
        let c = staff(JobKind::StaffResolved, &jobs, None, "n", Locale::EN_US);
        let text = c.body["embeds"][0]["description"].as_str().unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains("\n`#999`"), "{text}");
    }

    #[test]
    fn a_degraded_notice_says_only_what_the_event_said() {
        let mut j = job(42, "never shown");
        j.payload.subject = None;
        j.payload.topic = None;
        j.payload.opened_by = None;
        let c = staff(JobKind::StaffResolved, &[j], None, "n", Locale::EN_US);
        let e = &c.body["embeds"][0];
        assert_eq!(e["title"], "Ticket #42 is now Resolved");
        let text = c.body.to_string();
        assert!(!text.contains("Subject"), "{text}");
        assert!(!text.contains("Opened from Discord"), "{text}");
    }

    #[test]
    fn a_resolved_dm_offers_reply_and_close_and_a_closed_one_does_not() {
        let mut j = job(9, "s");
        j.kind = JobKind::Dm;
        let d = dm(&j, "n", Locale::EN_US);
        let ids: Vec<&str> = d["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["t:dmreply:9", "t:close:9"]);
        j.payload.change = Change::Closed;
        assert!(dm(&j, "n", Locale::EN_US).get("components").is_none());
    }
}
