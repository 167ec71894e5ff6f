//! Message bodies for notifications (Discord's Create Message JSON). Pure.
//!
//! Staff messages coalesce: as many tickets as fit Discord's limits (10 embeds, 6,000
//! embed characters, 4,096 per description) go into one message. Subjects are inert.
//! Allowed mentions permit the configured staff role and nothing else.

use serde_json::{json, Value};

use super::plan::{KIND_DM, KIND_STATUS, KIND_TOPIC};
use crate::discord::ids::CustomId;
use crate::discord::render::{truncate, user_text};
use crate::store::notify::Job;
use crate::ticket::{Status, Topic};

/// Total embed characters per message we allow ourselves (Discord: 6,000).
const EMBED_BUDGET: usize = 5_800;
const DESCRIPTION_MAX: usize = 4_096;
const EMBEDS_MAX: usize = 10;

/// A message body and how many of the offered jobs it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub body: Value,
    pub used: usize,
}

fn topic_of(v: &Value) -> Topic {
    Topic::from(v.as_i64().unwrap_or(-1))
}

fn status_of(v: &Value) -> Status {
    Status::from(v.as_i64().unwrap_or(-1))
}

fn subject(job: &Job, max: usize) -> String {
    match job.payload["subject"].as_str() {
        Some(s) => user_text(s, max),
        None => "(subject unavailable)".into(),
    }
}

fn opener(job: &Job) -> Option<String> {
    job.payload["opener"]
        .as_str()
        .filter(|s| s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty())
        .map(|s| format!("<@{s}>"))
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

/// One line for a coalesced staff message.
fn line(kind: &str, job: &Job) -> String {
    let p = &job.payload;
    let who = opener(job).map(|o| format!(" · {o}")).unwrap_or_default();
    match kind {
        KIND_TOPIC => format!(
            "`#{}` {} → **{}** · {}{}",
            job.ticket_id,
            topic_of(&p["from"]).label(),
            topic_of(&p["to"]).label(),
            subject(job, 40),
            who
        ),
        KIND_STATUS => format!(
            "`#{}` {} · now **{}** · {}{}",
            job.ticket_id,
            topic_of(&p["topic"]).label(),
            status_of(&p["to"]).label(),
            subject(job, 40),
            who
        ),
        _ => format!(
            "`#{}` {} · {}{}",
            job.ticket_id,
            topic_of(&p["topic"]).label(),
            subject(job, 40),
            who
        ),
    }
}

fn single_embed(kind: &str, job: &Job) -> Value {
    let p = &job.payload;
    let topic = topic_of(&p["topic"]);
    let mut fields = vec![
        json!({"name": "Topic", "value": topic.label(), "inline": true}),
        json!({"name": "Subject", "value": subject(job, 1000), "inline": false}),
    ];
    if let Some(o) = opener(job) {
        fields.push(json!({"name": "Opened from Discord by", "value": o, "inline": true}));
    }
    let title = match kind {
        KIND_TOPIC => {
            fields.insert(
                0,
                json!({"name": "Moved", "inline": false, "value": format!("{} → {}",
                    topic_of(&p["from"]).label(), topic_of(&p["to"]).label())}),
            );
            let reason = p["reason"]
                .as_str()
                .map(|r| user_text(r, 1000))
                .unwrap_or_else(|| "(none given)".into());
            fields.push(json!({"name": "Reason", "value": reason, "inline": false}));
            format!("Ticket #{} moved to {}", job.ticket_id, topic.label())
        }
        KIND_STATUS => format!(
            "Ticket #{} is now {}",
            job.ticket_id,
            status_of(&p["to"]).label()
        ),
        _ => format!("Ticket #{} resolved", job.ticket_id),
    };
    json!({
        "title": truncate(&title, 256),
        "color": topic.colour(),
        "fields": fields,
        "footer": {"text": format!("Event {}", p["event"].as_str().unwrap_or("?"))},
    })
}

fn heading(kind: &str, n: usize) -> String {
    match kind {
        KIND_TOPIC => format!("{n} tickets moved to another topic"),
        KIND_STATUS => format!("{n} tickets changed status"),
        _ => format!("{n} tickets resolved"),
    }
}

/// A staff message for as many of `jobs` (same kind, same channel) as fit.
pub fn staff(kind: &str, jobs: &[Job], role: Option<u64>, nonce: &str) -> Composed {
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
        let embeds = jobs.iter().map(|j| single_embed(kind, j)).collect();
        return Composed {
            body: base(embeds),
            used: jobs.len(),
        };
    }
    // The title counts against the budget; reserve room for the longest it can be.
    let title_len = heading(kind, jobs.len()).chars().count();
    let mut budget = EMBED_BUDGET - title_len;
    let mut descriptions: Vec<String> = vec![String::new()];
    let mut used = 0;
    for job in jobs {
        let l = line(kind, job);
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
    let colour = topic_of(&jobs[0].payload["topic"]).colour();
    let embeds = descriptions
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let mut e = json!({"description": d, "color": colour});
            if i == 0 {
                e["title"] = heading(kind, used).into();
            }
            e
        })
        .collect();
    Composed {
        body: base(embeds),
        used,
    }
}

/// A DM to the customer about one ticket, with Reply / Close buttons while it is open.
pub fn dm(job: &Job, nonce: &str) -> Value {
    debug_assert_eq!(job.kind, KIND_DM);
    let p = &job.payload;
    let id = job.ticket_id;
    let change = p["change"].as_str().unwrap_or_default();
    let (title, text) = match change {
        "resolved" => (
            format!("Your ticket #{id} is Resolved"),
            "Support marked it solved. If it is not, reply and it reopens; if it is, you can \
             close it (Closed is final)."
                .to_string(),
        ),
        "topic" => (
            format!("Ticket #{id} moved to {}", topic_of(&p["to"]).label()),
            format!(
                "Your ticket was moved to {} so the right team picks it up.",
                topic_of(&p["to"]).label()
            ),
        ),
        "in_progress" => (
            format!("Ticket #{id} is In Progress"),
            "Support is working on it.".to_string(),
        ),
        "reopened" => (
            format!("Ticket #{id} is Open again"),
            "It is waiting for support again.".to_string(),
        ),
        "closed" => (
            format!("Ticket #{id} is Closed"),
            "Closed is final; open a new ticket with /ticket open if you need more help."
                .to_string(),
        ),
        "staff_reply" => (
            format!("Support replied to ticket #{id}"),
            "See it with /ticket status.".to_string(),
        ),
        _ => (format!("Ticket #{id} was updated"), String::new()),
    };
    let description = format!("**{}**\n{text}", subject(job, 200));
    let mut body = json!({
        "content": "",
        "embeds": [{
            "title": truncate(&title, 256),
            "description": truncate(&description, DESCRIPTION_MAX),
            "color": topic_of(&p["topic"]).colour(),
        }],
        "allowed_mentions": allowed_mentions(None),
        "nonce": nonce,
        "enforce_nonce": true,
    });
    if change != "closed" {
        let reply = CustomId::ReplyButton(id).encode();
        let close = CustomId::Close(id).encode();
        if let (Some(reply), Some(close)) = (reply, close) {
            body["components"] = json!([{"type": 1, "components": [
                {"type": 2, "style": 1, "label": "Reply", "custom_id": reply},
                {"type": 2, "style": 4, "label": "Close ticket (final)", "custom_id": close},
            ]}]);
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::plan::KIND_RESOLVED;

    fn job(id: i64, subject: &str) -> Job {
        Job {
            id,
            kind: KIND_RESOLVED.into(),
            target: 1,
            ticket_id: id as u64,
            payload: json!({"ticket": id, "subject": subject, "topic": 4, "event": "evt_1",
                            "opener": "123456789012345678", "change": "resolved"}),
            batch_id: None,
            attempts: 0,
            received_at: 0,
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
        let c = staff(KIND_RESOLVED, &jobs, None, "n1");
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
        let c = staff(KIND_RESOLVED, &jobs, Some(777), "n");
        let text = c.body.to_string();
        assert!(!text.contains("@everyone"));
        assert!(!text.contains("<@&123>"));
        assert!(!text.contains("<@456>"));
        assert_eq!(c.body["content"], "<@&777>");
        assert_eq!(c.body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(c.body["allowed_mentions"]["roles"], json!(["777"]));
        let d = dm(
            &Job {
                kind: KIND_DM.into(),
                ..job(1, "@here hi")
            },
            "n",
        );
        assert!(!d.to_string().contains("@here"));
        assert_eq!(d["allowed_mentions"]["roles"], json!([]));
    }

    #[test]
    fn a_resolved_dm_offers_reply_and_close_and_a_closed_one_does_not() {
        let mut j = job(9, "s");
        j.kind = KIND_DM.into();
        let d = dm(&j, "n");
        let ids: Vec<&str> = d["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["t:dmreply:9", "t:close:9"]);
        j.payload["change"] = "closed".into();
        assert!(dm(&j, "n").get("components").is_none());
    }
}
